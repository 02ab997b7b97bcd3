package dev.rotation.shared;

import java.sql.Connection;
import java.util.Objects;

/**
 * One administrative step of alternating users, run as the master user: what the pair is and who
 * the master is. {@link UserAdministration}'s steps all take it, so a new field reaches every engine
 * without changing a signature.
 *
 * @param admin a connection logged in as the master user
 * @param currentUser the user of the AWSCURRENT version, which keeps working during the rotation
 * @param otherUser the user the rotation switches to ({@code name} or {@code name_clone})
 * @param masterUser the master user's name (never to be managed as one of the pair)
 */
public record AdminRequest(Connection admin, String currentUser, String otherUser, String masterUser) {

    public AdminRequest {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(currentUser, "currentUser");
        Objects.requireNonNull(otherUser, "otherUser");
        Objects.requireNonNull(masterUser, "masterUser");
    }
}
