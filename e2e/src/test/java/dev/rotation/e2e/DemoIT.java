package dev.rotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's first command, run as a user runs it from the project root. */
class DemoIT {
    @Test
    void demo_rotatesBothEnginesAndPrintsTheAwsCommands() throws Exception {
        Processes.requireJars();

        Processes.Result result = Processes.rotationLocal(Processes.ROOT, 300, Map.of(), "demo");

        assertThat(result.exit()).as("demo output:\n%s\nstderr:\n%s", result.out(), result.err()).isZero();
        assertThat(result.out())
                .contains("rds-rotation-mysql", "rds-rotation-postgres")
                .contains("== MySQL-compatible", "== PostgreSQL")
                .contains("labels before:", "labels after:", "[AWSPREVIOUS]")
                .contains("createSecret  ok", "setSecret     ok", "testSecret    ok", "finishSecret  ok")
                .contains("cold start: init")
                .contains("aws secretsmanager rotate-secret");
        assertThat(result.out().split("old password \\(AWSPREVIOUS\\): refused", -1)).hasSize(3);
        assertThat(result.out().split("new password \\(AWSCURRENT\\):  accepted", -1)).hasSize(3);
        assertThat(result.out() + result.err()).doesNotContainPattern("\"password\"\\s*:\\s*\"");
    }
}
