package dev.rotation.shared;

import java.util.List;

/**
 * What an administrative step changed, one line per change (for example {@code "created user
 * 'app_clone'@'%'"}), which the protocol logs. Empty when the step found nothing to do. Never a
 * password or hash.
 *
 * @param changes descriptions of each change, in the order they were made
 */
public record AdminChanges(List<String> changes) {

    /** Nothing changed. */
    public static final AdminChanges NONE = new AdminChanges(List.of());

    public AdminChanges {
        changes = List.copyOf(changes);
    }

    public static AdminChanges of(List<String> changes) {
        return changes.isEmpty() ? NONE : new AdminChanges(changes);
    }

    public static AdminChanges of(String change) {
        return new AdminChanges(List.of(change));
    }

    /** Whether anything changed. */
    public boolean changed() {
        return !changes.isEmpty();
    }
}
