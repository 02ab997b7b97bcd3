package dev.rotation.mysql;

import dev.rotation.shared.RotationHandler;
import dev.rotation.shared.Priming;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** SnapStart priming for the MySQL functions: createSecret, and the driver's login and query classes. */
final class MySqlPriming {
    /** What a login and a query load first (their dependencies follow); no connection is made. */
    static final List<String> LOGIN_CLASSES = List.of(
            "com.mysql.cj.jdbc.ConnectionImpl",
            "com.mysql.cj.NativeSession",
            "com.mysql.cj.protocol.a.NativeProtocol",
            "com.mysql.cj.protocol.a.NativeAuthenticationProvider",
            "com.mysql.cj.protocol.a.NativeServerSession",
            "com.mysql.cj.protocol.a.authentication.MysqlNativePasswordPlugin",
            "com.mysql.cj.protocol.a.authentication.CachingSha2PasswordPlugin",
            "com.mysql.cj.protocol.a.TextResultsetReader",
            "com.mysql.cj.jdbc.StatementImpl",
            "com.mysql.cj.jdbc.ClientPreparedStatement",
            "com.mysql.cj.jdbc.result.ResultSetImpl",
            "com.mysql.cj.jdbc.result.ResultSetFactory");

    private MySqlPriming() {
    }

    static void register(Function<SecretsManagerClient, RotationHandler> handlerFactory) {
        Priming.register(handlerFactory, "mysql", LOGIN_CLASSES);
    }
}
