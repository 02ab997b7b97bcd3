package dev.rotation.mysql;

import dev.rotation.testkit.contract.DeploymentJarContract;
import java.nio.file.Path;

/** The shaded jar SAM deploys holds Connector/J and no other driver. */
class DeploymentJarIT extends DeploymentJarContract {
    DeploymentJarIT() {
        super(Path.of("target", "rotation-mysql.jar"), "dev.rotation.mysql.MySqlRotationHandler",
                "dev.rotation.mysql.MySqlEngine", "com.mysql.cj.jdbc.Driver", "org/postgresql/");
    }
}
