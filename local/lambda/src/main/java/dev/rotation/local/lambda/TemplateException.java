package dev.rotation.local.lambda;

/** A SAM template, env-vars file or function definition that cannot be used, with the reason. */
public final class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }
}
