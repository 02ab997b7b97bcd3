package dev.rotation.shared;

import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordRequest;

/**
 * The GetRandomPassword parameters, from the environment variables the reference functions read.
 * An unset or empty {@code EXCLUDE_CHARACTERS} means the engine's default exclusions, so a blank
 * template parameter cannot silently allow characters that break connection strings.
 */
record PasswordPolicy(int length, String excludeCharacters, boolean excludeNumbers, boolean excludePunctuation,
        boolean excludeUppercase, boolean excludeLowercase, boolean requireEachIncludedType) {

    static final String PASSWORD_LENGTH = "PASSWORD_LENGTH";
    static final String EXCLUDE_CHARACTERS = "EXCLUDE_CHARACTERS";
    static final String EXCLUDE_NUMBERS = "EXCLUDE_NUMBERS";
    static final String EXCLUDE_PUNCTUATION = "EXCLUDE_PUNCTUATION";
    static final String EXCLUDE_UPPERCASE = "EXCLUDE_UPPERCASE";
    static final String EXCLUDE_LOWERCASE = "EXCLUDE_LOWERCASE";
    static final String REQUIRE_EACH_INCLUDED_TYPE = "REQUIRE_EACH_INCLUDED_TYPE";

    static PasswordPolicy fromEnvironment(EnvironmentVariables env, DatabaseEngine engine) {
        int length = env.integer(PASSWORD_LENGTH, 32, 1, 4096);
        String exclude = env.raw(EXCLUDE_CHARACTERS).filter(value -> !value.isEmpty())
                .orElse(engine.description().defaultExcludedCharacters());
        PasswordPolicy policy = new PasswordPolicy(length, exclude,
                env.flag(EXCLUDE_NUMBERS, false),
                env.flag(EXCLUDE_PUNCTUATION, false),
                env.flag(EXCLUDE_UPPERCASE, false),
                env.flag(EXCLUDE_LOWERCASE, false),
                env.flag(REQUIRE_EACH_INCLUDED_TYPE, true));
        if (policy.excludeNumbers && policy.excludePunctuation && policy.excludeUppercase && policy.excludeLowercase) {
            throw EnvironmentVariables.invalid(EXCLUDE_NUMBERS, "and the other EXCLUDE_* variables exclude every kind of character");
        }
        return policy;
    }

    GetRandomPasswordRequest toRequest() {
        return GetRandomPasswordRequest.builder()
                .passwordLength((long) length)
                .excludeCharacters(excludeCharacters.isEmpty() ? null : excludeCharacters)
                .excludeNumbers(excludeNumbers)
                .excludePunctuation(excludePunctuation)
                .excludeUppercase(excludeUppercase)
                .excludeLowercase(excludeLowercase)
                .includeSpace(false)
                .requireEachIncludedType(requireEachIncludedType)
                .build();
    }
}
