package dev.rotation.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DriverTlsTest {

    @ParameterizedTest
    @EnumSource(Engine.class)
    void verify_neverPrefers_andPlaintextIsExplicit(Engine engine) throws Exception {
        Properties verified = new Properties();
        DriverTls.apply(engine, true, Optional.empty(), true, verified);
        Properties plain = new Properties();
        DriverTls.apply(engine, false, Optional.empty(), false, plain);

        String mode = engine == Engine.MYSQL ? "sslMode" : "sslmode";
        assertThat(verified.getProperty(mode).toLowerCase(Locale.ROOT)).isIn("verify_identity", "verify-full");
        assertThat(plain.getProperty(mode).toLowerCase(Locale.ROOT)).isIn("disabled", "disable");
        assertThat(verified.getProperty("allowPublicKeyRetrieval", "false")).isEqualTo("false");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyPropertySet_isOneTheCallersRefuseFromElsewhere(Engine engine) throws Exception {
        for (boolean verify : new boolean[] {true, false}) {
            Properties props = new Properties();
            DriverTls.apply(engine, verify, Optional.empty(), true, props);
            assertThat(props.stringPropertyNames()).allSatisfy(name ->
                    assertThat(DriverTls.PROPERTY_NAMES).contains(name.toLowerCase(Locale.ROOT)));
        }
    }
}
