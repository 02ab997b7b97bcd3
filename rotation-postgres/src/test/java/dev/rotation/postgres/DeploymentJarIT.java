package dev.rotation.postgres;

import dev.rotation.testkit.contract.DeploymentJarContract;
import java.nio.file.Path;

/** The shaded jar SAM deploys holds pgJDBC and no other driver. */
class DeploymentJarIT extends DeploymentJarContract {
    DeploymentJarIT() {
        super(Path.of("target", "rotation-postgres.jar"), "dev.rotation.postgres.PostgresRotationHandler",
                "dev.rotation.postgres.PostgresEngine", "org.postgresql.Driver", "com/mysql/");
    }
}
