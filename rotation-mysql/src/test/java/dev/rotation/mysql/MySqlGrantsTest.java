package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.mysql.MySqlGrants.Change;
import dev.rotation.mysql.MySqlGrants.GrantOption;
import dev.rotation.mysql.MySqlGrants.GrantPrivileges;
import dev.rotation.mysql.MySqlGrants.GrantRole;
import dev.rotation.mysql.MySqlGrants.RevokeGrantOption;
import dev.rotation.mysql.MySqlGrants.RevokePrivileges;
import dev.rotation.mysql.MySqlGrants.RevokeRole;
import dev.rotation.mysql.MySqlGrants.SetDefaultRole;
import dev.rotation.shared.RotationException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MySqlGrantsTest {

    private static MySqlGrants parse(String... lines) {
        return MySqlGrants.parse(List.of(lines), "'app'@'%'");
    }

    @Test
    void parse_mariaDbGlobalLine_ignoresPasswordHashAndReadsGrantOption() {
        MySqlGrants grants = parse("GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED BY PASSWORD"
                + " '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19' REQUIRE SSL WITH GRANT OPTION");

        assertThat(grants.objects()).containsOnlyKeys("*.*");
        assertThat(grants.objects().get("*.*").privileges()).isEmpty();
        assertThat(grants.objects().get("*.*").grantOption()).isTrue();
        assertThat(grants.toString()).doesNotContain("2470C0C0");
    }

    @Test
    void parse_databaseAndTableLines_keepObjectsAsPrinted() {
        MySqlGrants grants = parse(
                "GRANT ALL PRIVILEGES ON `app\\_db`.* TO `app`@`%`",
                "GRANT SELECT, INSERT, CREATE TEMPORARY TABLES ON `other`.`t 1` TO `app`@`%` WITH GRANT OPTION");

        assertThat(grants.objects()).containsOnlyKeys("`app\\_db`.*", "`other`.`t 1`");
        assertThat(grants.objects().get("`app\\_db`.*").all()).isTrue();
        assertThat(grants.objects().get("`other`.`t 1`").privileges())
                .containsExactly("SELECT", "INSERT", "CREATE TEMPORARY TABLES");
        assertThat(grants.objects().get("`other`.`t 1`").grantOption()).isTrue();
    }

    @Test
    void parse_columnPrivileges_splitPerColumn() {
        MySqlGrants grants = parse("GRANT SELECT (`a`, `b, c`), UPDATE (`a`) ON `db`.`t` TO `app`@`%`");

        assertThat(grants.objects().get("`db`.`t`").privileges())
                .containsExactly("SELECT (`a`)", "SELECT (`b, c`)", "UPDATE (`a`)");
    }

    @Test
    void parse_routinesAndProxy_areObjectsToo() {
        MySqlGrants grants = parse("GRANT EXECUTE ON PROCEDURE `db`.`p` TO `app`@`%`",
                "GRANT PROXY ON ''@'%' TO 'app'@'%' WITH GRANT OPTION");

        assertThat(grants.objects()).containsOnlyKeys("PROCEDURE `db`.`p`", "''@'%'");
        assertThat(grants.objects().get("''@'%'").privileges()).containsExactly("PROXY");
    }

    @Test
    void parse_userNameContainingKeywords_isNotConfused() {
        MySqlGrants grants = parse("GRANT SELECT ON `db`.* TO `a TO b ON c`@`%` WITH GRANT OPTION");

        assertThat(grants.objects()).containsOnlyKeys("`db`.*");
        assertThat(grants.objects().get("`db`.*").grantOption()).isTrue();
    }

    @Test
    void parse_rolesAndDefaultRole() {
        MySqlGrants grants = parse("GRANT `reader`, `writer` TO `app`@`%` WITH ADMIN OPTION",
                "GRANT `auditor`@`%` TO `app`@`%`",
                "SET DEFAULT ROLE `reader` FOR `app`@`%`");

        assertThat(grants.roles()).containsEntry("`reader`", true).containsEntry("`writer`", true)
                .containsEntry("`auditor`@`%`", false);
        assertThat(grants.defaultRole()).contains("`reader`");
    }

    @Test
    void parse_sameObjectOnTwoLines_isMerged() {
        MySqlGrants grants = parse("GRANT SELECT ON *.* TO `app`@`%`",
                "GRANT BACKUP_ADMIN,XA_RECOVER_ADMIN ON *.* TO `app`@`%`");

        assertThat(grants.objects().get("*.*").privileges()).containsExactly("SELECT", "BACKUP_ADMIN",
                "XA_RECOVER_ADMIN");
    }

    @Test
    void parse_partialRevokeLine_failsNamingItsKindNotItsText() {
        // MySQL 8 with partial_revokes=ON: a global grant minus one schema. Copying the GRANT without the
        // REVOKE would give the other user more than the current one has.
        assertThatThrownBy(() -> MySqlGrants.parse(List.of("GRANT SELECT, INSERT ON *.* TO `app`@`%`",
                "REVOKE INSERT ON `mysql`.* FROM `app`@`%`"), "'app'@'%'"))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("'REVOKE INSERT ON'")
                .hasMessageNotContaining("`mysql`");
    }

    @Test
    void parse_unknownLine_failsWithItsLeadingKeywordsAndWithoutTheHash() {
        assertThatThrownBy(() -> MySqlGrants.parse(List.of("GRANT USAGE ON *.* TO `app`@`%`",
                "ALTER SOMETHING NEW `app`@`%` IDENTIFIED BY PASSWORD '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19'"),
                "'app'@'%'"))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("'ALTER SOMETHING NEW'")
                .hasMessageNotContaining("2470C0C0");
    }

    @Test
    void parse_grantLineWithoutTo_fails() {
        assertThatThrownBy(() -> MySqlGrants.parse(List.of("GRANT SELECT ON `db`.* \"weird\""), "'app'@'%'"))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("'GRANT SELECT ON'");
    }

    @Test
    void diff_addsMissingThenRevokesExtra() {
        MySqlGrants source = parse("GRANT USAGE ON *.* TO `a`@`%`", "GRANT SELECT, INSERT ON `db`.* TO `a`@`%`");
        MySqlGrants target = parse("GRANT USAGE ON *.* TO `b`@`%`", "GRANT SELECT, DELETE ON `db`.* TO `b`@`%`",
                "GRANT SELECT ON `gone`.* TO `b`@`%`");

        List<Change> changes = MySqlGrants.diff(source, target);

        assertThat(changes).containsExactly(
                new GrantPrivileges(List.of("INSERT"), "`db`.*"),
                new RevokePrivileges(List.of("DELETE"), "`db`.*"),
                new RevokePrivileges(List.of("SELECT"), "`gone`.*"));
    }

    @Test
    void diff_ofEqualGrants_isEmpty() {
        MySqlGrants source = parse("GRANT USAGE ON *.* TO `a`@`%` REQUIRE SSL",
                "GRANT ALL PRIVILEGES ON `db`.* TO `a`@`%` WITH GRANT OPTION", "GRANT `r` TO `a`@`%`",
                "SET DEFAULT ROLE `r` FOR `a`@`%`");
        MySqlGrants target = parse("GRANT USAGE ON *.* TO `b`@`%`",
                "GRANT ALL PRIVILEGES ON `db`.* TO `b`@`%` WITH GRANT OPTION", "GRANT `r` TO `b`@`%`",
                "SET DEFAULT ROLE `r` FOR `b`@`%`");

        assertThat(MySqlGrants.diff(source, target)).isEmpty();
    }

    @Test
    void diff_allPrivilegesOnSource_grantsAllAndRevokesNothingImplied() {
        MySqlGrants source = parse("GRANT ALL PRIVILEGES ON `db`.* TO `a`@`%`");
        MySqlGrants target = parse("GRANT SELECT ON `db`.* TO `b`@`%`");

        assertThat(MySqlGrants.diff(source, target))
                .containsExactly(new GrantPrivileges(List.of(MySqlGrants.ALL), "`db`.*"));
    }

    @Test
    void diff_allPrivilegesOnlyOnTarget_revokesAllThenGrantsThePart() {
        MySqlGrants source = parse("GRANT SELECT ON `db`.* TO `a`@`%`");
        MySqlGrants target = parse("GRANT ALL PRIVILEGES ON `db`.* TO `b`@`%`");

        assertThat(MySqlGrants.diff(source, target)).containsExactly(
                new RevokePrivileges(List.of(MySqlGrants.ALL), "`db`.*"),
                new GrantPrivileges(List.of("SELECT"), "`db`.*"));
    }

    @Test
    void diff_grantOption_isAddedAndTakenAway() {
        MySqlGrants source = parse("GRANT SELECT ON `db`.* TO `a`@`%` WITH GRANT OPTION",
                "GRANT SELECT ON `x`.* TO `a`@`%`");
        MySqlGrants target = parse("GRANT SELECT ON `db`.* TO `b`@`%`",
                "GRANT SELECT ON `x`.* TO `b`@`%` WITH GRANT OPTION");

        assertThat(MySqlGrants.diff(source, target)).containsExactly(
                new GrantOption("USAGE", "`db`.*"),
                new RevokeGrantOption("`x`.*"));
    }

    @Test
    void diff_roles_grantedRevokedAndDefaultSet() {
        MySqlGrants source = parse("GRANT `reader` TO `a`@`%` WITH ADMIN OPTION", "GRANT `writer` TO `a`@`%`",
                "SET DEFAULT ROLE `writer` FOR `a`@`%`");
        MySqlGrants target = parse("GRANT `writer` TO `b`@`%` WITH ADMIN OPTION", "GRANT `old` TO `b`@`%`");

        assertThat(MySqlGrants.diff(source, target)).containsExactly(
                new GrantRole("`reader`", true),
                new RevokeRole("`writer`"),
                new GrantRole("`writer`", false),
                new RevokeRole("`old`"),
                new SetDefaultRole(Optional.of("`writer`")));
    }

    @Test
    void diff_defaultRoleGoneFromSource_setsNone() {
        MySqlGrants source = parse("GRANT `r` TO `a`@`%`");
        MySqlGrants target = parse("GRANT `r` TO `b`@`%`", "SET DEFAULT ROLE `r` FOR `b`@`%`");

        assertThat(MySqlGrants.diff(source, target)).containsExactly(new SetDefaultRole(Optional.empty()));
    }

    @Test
    void diff_columnPrivileges_perColumn() {
        MySqlGrants source = parse("GRANT SELECT (`a`, `b`) ON `db`.`t` TO `a`@`%`");
        MySqlGrants target = parse("GRANT SELECT (`b`, `c`) ON `db`.`t` TO `b`@`%`");

        assertThat(MySqlGrants.diff(source, target)).containsExactly(
                new GrantPrivileges(List.of("SELECT (`a`)"), "`db`.`t`"),
                new RevokePrivileges(List.of("SELECT (`c`)"), "`db`.`t`"));
    }

    @Test
    void splitTopLevel_respectsQuotesAndParentheses() {
        assertThat(MySqlGrants.splitTopLevel("SELECT (`a,b`), 'x,y', \"p\"\"q,r\", INSERT"))
                .containsExactly("SELECT (`a,b`)", "'x,y'", "\"p\"\"q,r\"", "INSERT");
        assertThat(Set.copyOf(MySqlGrants.splitTopLevel(" , a ,, "))).containsExactly("a");
    }

    @Test
    void render_quotesTheTargetAndKeepsTheObject() {
        String target = MySqlEngine.account("app`x_clone", "10.0.%");

        assertThat(target).isEqualTo("`app``x_clone`@`10.0.%`");
        assertThat(MySqlEngine.render(new GrantPrivileges(List.of("SELECT", "INSERT"), "`db`.*"), target))
                .isEqualTo("GRANT SELECT, INSERT ON `db`.* TO `app``x_clone`@`10.0.%`");
        assertThat(MySqlEngine.render(new RevokeGrantOption("`db`.*"), target))
                .isEqualTo("REVOKE GRANT OPTION ON `db`.* FROM `app``x_clone`@`10.0.%`");
        assertThat(MySqlEngine.render(new GrantOption("USAGE", "`db`.*"), target))
                .isEqualTo("GRANT USAGE ON `db`.* TO `app``x_clone`@`10.0.%` WITH GRANT OPTION");
        assertThat(MySqlEngine.render(new GrantRole("`r`", true), target))
                .isEqualTo("GRANT `r` TO `app``x_clone`@`10.0.%` WITH ADMIN OPTION");
        assertThat(MySqlEngine.render(new SetDefaultRole(Optional.empty()), target))
                .isEqualTo("SET DEFAULT ROLE NONE FOR `app``x_clone`@`10.0.%`");
    }

    @Test
    void alterUserSupported_dependsOnFlavourAndVersion() {
        assertThat(MySqlEngine.alterUserSupported(MySqlServerVersion.parse("10.11.6-MariaDB"))).isTrue();
        assertThat(MySqlEngine.alterUserSupported(MySqlServerVersion.parse("10.1.48-MariaDB"))).isFalse();
        assertThat(MySqlEngine.alterUserSupported(MySqlServerVersion.parse("8.4.0"))).isTrue();
        assertThat(MySqlEngine.alterUserSupported(MySqlServerVersion.parse("5.6.51"))).isFalse();
        assertThat(MySqlEngine.alterUserSupported(Optional.empty())).isTrue();
    }

    @Test
    void unguessablePassword_hasEveryKindAndNoQuoteOrBackslash() {
        String password = MySqlEngine.unguessablePassword();

        assertThat(password).hasSize(32).containsPattern("[A-Z]").containsPattern("[a-z]").containsPattern("[0-9]")
                .containsPattern("[#%+.:=^_~-]").doesNotContain("'", "\"", "\\", "`");
        assertThat(MySqlEngine.unguessablePassword()).isNotEqualTo(password);
    }
}
