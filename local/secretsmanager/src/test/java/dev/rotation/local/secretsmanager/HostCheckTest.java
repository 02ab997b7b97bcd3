package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostCheckTest {
    private static HostCheck check(String host, boolean allowRemote, String... names) throws Exception {
        return HostCheck.of(host, InetAddress.getByName(host), allowRemote, List.of(names));
    }

    @Test
    void accepts_onLoopback_localhostAndLoopbackLiteralsOnly() throws Exception {
        HostCheck c = check("127.0.0.1", false);
        assertThat(List.of("127.0.0.1", "127.0.0.1:4566", "127.8.9.10:1", "localhost", "LOCALHOST:4566",
                "[::1]", "[::1]:4566", "[0:0:0:0:0:0:0:1]:80", "127.0.0.1:", " localhost:4566 "))
                .allSatisfy(h -> assertThat(c.accepts(h)).as(h).isTrue());
        assertThat(List.of("evil.example", "evil.example:4566", "localhost.evil.example", "127.0.0.1.nip.io",
                "0.0.0.0", "[::]", "10.0.0.1", "127.1", "0177.0.0.1", "2130706433", "localhost.", "", ":4566",
                "[::1", "[::1]x", "[.:1]", "localhost:abc", "localhost:4566:1", "[evil.example]", "127.0.0.1:123456"))
                .allSatisfy(h -> assertThat(c.accepts(h)).as(h).isFalse());
        assertThat(c.accepts(null)).isFalse();
    }

    @Test
    void accepts_theBoundAddressAndConfiguredNames() throws Exception {
        HostCheck c = check("127.0.0.2", false, "devbox.internal");
        assertThat(c.accepts("127.0.0.2:4566")).isTrue();
        assertThat(c.accepts("DevBox.Internal:4566")).isTrue();
        assertThat(c.accepts("devbox.internal.evil.example")).isFalse();
        assertThat(check("localhost", false).accepts("localhost:1")).isTrue();
    }

    @Test
    void accepts_withAllowRemote_anyAddressLiteralButOnlyListedNames() throws Exception {
        HostCheck c = check("0.0.0.0", true, "devbox.internal");
        assertThat(List.of("192.0.2.7:4566", "[2001:db8::7]:4566", "0.0.0.0", "devbox.internal", "localhost"))
                .allSatisfy(h -> assertThat(c.accepts(h)).as(h).isTrue());
        assertThat(List.of("evil.example", "192.0.2.7.nip.io")).allSatisfy(h -> assertThat(c.accepts(h)).as(h).isFalse());
    }

    @Test
    void accepts_regionNamesUnderLocalhost_whichNoWebPageCanClaim() throws Exception {
        HostCheck c = check("127.0.0.1", false);
        assertThat(List.of("eu-west-1.localhost:4566", "secretsmanager.us-gov-west-1.localhost", "AP-SOUTH-1.localhost"))
                .allSatisfy(h -> assertThat(c.accepts(h)).as(h).isTrue());
        assertThat(List.of("evil.localhost", "eu-west-1.localhost.evil.example", "eu-west-1.evil.example",
                "secretsmanager.eu-west-1.amazonaws.com")).allSatisfy(h -> assertThat(c.accepts(h)).as(h).isFalse());
        assertThat(Regions.fromHost("secretsmanager.eu-west-1.localhost:4566")).contains("eu-west-1");
        assertThat(Regions.fromHost("secretsmanager.eu-central-2.amazonaws.com")).contains("eu-central-2");
        assertThat(Regions.fromHost("localhost:4566")).isEmpty();
    }

    @Test
    void isName_acceptsDnsNamesOnly() {
        assertThat(HostCheck.isName("devbox.internal")).isTrue();
        assertThat(HostCheck.isName("host-1")).isTrue();
        assertThat(List.of("", "1.2.3.4", "*.example", "a..b", "-a", "a:1", "[::1]", "a b"))
                .allSatisfy(n -> assertThat(HostCheck.isName(n)).as(n).isFalse());
        assertThat(HostCheck.isName(null)).isFalse();
    }
}
