package dev.rotation.testkit;

/** The two rotation strategies the functions ship. */
public enum Strategy {
    SINGLE_USER("single user"),
    ALTERNATING_USERS("alternating users");

    private final String label;

    Strategy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
