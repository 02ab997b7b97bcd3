package dev.rotation.shared;

import java.util.Optional;

/** The four steps, by the names Secrets Manager sends in the event's {@code Step}. */
enum RotationStep {
    CREATE_SECRET("createSecret"),
    SET_SECRET("setSecret"),
    TEST_SECRET("testSecret"),
    FINISH_SECRET("finishSecret");

    private final String eventName;

    RotationStep(String eventName) {
        this.eventName = eventName;
    }

    String eventName() {
        return eventName;
    }

    static Optional<RotationStep> fromEventName(String name) {
        for (RotationStep step : values()) {
            if (step.eventName.equals(name)) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }
}
