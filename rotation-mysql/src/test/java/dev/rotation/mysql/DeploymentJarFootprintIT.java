package dev.rotation.mysql;

import dev.rotation.testkit.contract.DeploymentJarFootprintContract;
import java.nio.file.Path;
import java.util.List;

/** The MySQL jar: at most 7 MB, without Connector/J's X DevAPI. */
class DeploymentJarFootprintIT extends DeploymentJarFootprintContract {
    DeploymentJarFootprintIT() {
        super(Path.of("target", "rotation-mysql.jar"), 7 * 1_000_000L,
                List.of("com/mysql/cj/x/", "com/mysql/cj/xdevapi/", "com/mysql/cj/protocol/x/"), MySqlEngine.LOGIN_CLASSES);
    }
}
