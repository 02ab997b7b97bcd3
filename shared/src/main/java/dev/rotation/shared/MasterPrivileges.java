package dev.rotation.shared;

import java.util.List;
import java.util.Objects;

/**
 * {@link UserAdministration#masterPrivileges}: whether the master user holds what alternating users
 * need of it, read without changing anything (for the preflight event).
 *
 * @param checked whether the engine checked at all (an engine that does not implement the check says so)
 * @param missing the privileges the master lacks, each named as the engine's documentation names it
 *     (e.g. {@code CREATE USER}, {@code CREATEROLE}); empty when it has everything
 * @param detail what was found (what the master holds, or why nothing was checked), never a secret value
 */
public record MasterPrivileges(boolean checked, List<String> missing, String detail) {

    public MasterPrivileges {
        missing = List.copyOf(missing);
        Objects.requireNonNull(detail, "detail");
    }

    /** The engine does not check its master's privileges. */
    public static MasterPrivileges notChecked() {
        return new MasterPrivileges(false, List.of(), "this engine does not check the master's privileges");
    }
}
