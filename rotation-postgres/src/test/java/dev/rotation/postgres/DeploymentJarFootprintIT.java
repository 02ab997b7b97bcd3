package dev.rotation.postgres;

import dev.rotation.testkit.contract.DeploymentJarFootprintContract;
import java.nio.file.Path;
import java.util.List;

/** The PostgreSQL jar: at most 6 MB, without pgjdbc's message translations. */
class DeploymentJarFootprintIT extends DeploymentJarFootprintContract {
    DeploymentJarFootprintIT() {
        super(Path.of("target", "rotation-postgres.jar"), 6 * 1_000_000L, List.of("org/postgresql/translation/"),
                PostgresEngine.LOGIN_CLASSES);
    }
}
