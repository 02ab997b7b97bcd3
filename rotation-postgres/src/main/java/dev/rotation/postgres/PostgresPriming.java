package dev.rotation.postgres;

import dev.rotation.shared.RotationHandler;
import dev.rotation.shared.Priming;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** SnapStart priming for the PostgreSQL functions: createSecret, and the driver's login and query classes. */
final class PostgresPriming {
    /** What a login (SCRAM) and a query load first (their dependencies follow); no connection is made. */
    static final List<String> LOGIN_CLASSES = List.of(
            "org.postgresql.jdbc.PgConnection",
            "org.postgresql.core.ConnectionFactory",
            "org.postgresql.core.v3.ConnectionFactoryImpl",
            "org.postgresql.core.v3.QueryExecutorImpl",
            "org.postgresql.core.v3.AuthenticationPluginManager",
            "org.postgresql.core.v3.ScramAuthenticator",
            "org.postgresql.shaded.com.ongres.scram.client.ScramClient",
            "org.postgresql.jdbc.PgStatement",
            "org.postgresql.jdbc.PgPreparedStatement",
            "org.postgresql.jdbc.PgResultSet");

    private PostgresPriming() {
    }

    static void register(Function<SecretsManagerClient, RotationHandler> handlerFactory) {
        Priming.register(handlerFactory, "postgres", LOGIN_CLASSES);
    }
}
