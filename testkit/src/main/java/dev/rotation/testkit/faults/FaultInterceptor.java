package dev.rotation.testkit.faults;

import java.time.Duration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;

/**
 * Puts the handler's real SDK client under the {@link FaultInjector}: every request is a call
 * position. {@code SM_ERROR} fails the request before it is sent (the server never sees it, as with
 * a 500 from the service's front end); {@code SM_ANSWER_LOST} and {@code SM_TIMEOUT} let the local
 * server execute it and then lose the answer, the case where the function cannot know that its
 * PutSecretValue or UpdateSecretVersionStage took effect.
 */
public final class FaultInterceptor implements ExecutionInterceptor {
    private static final ExecutionAttribute<FaultInjector.Kind> FAULT = new ExecutionAttribute<>("injected-fault");

    private final FaultInjector injector;

    public FaultInterceptor(FaultInjector injector) {
        this.injector = injector;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        injector.next(FaultInjector.Site.SECRETS_MANAGER, operation).ifPresent(kind -> {
            if (kind == FaultInjector.Kind.SM_ERROR) {
                throw InternalServiceErrorException.builder().statusCode(500)
                        .message("An error occurred (InternalServiceError) (injected fault)")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServiceError")
                                .errorMessage("injected fault").serviceName("SecretsManager").build())
                        .build();
            }
            attributes.putAttribute(FAULT, kind);
        });
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        FaultInjector.Kind kind = attributes.getAttribute(FAULT);
        if (kind == FaultInjector.Kind.SM_ANSWER_LOST) {
            throw SdkClientException.create("Unable to execute HTTP request: Connection reset (injected fault)");
        }
        if (kind == FaultInjector.Kind.SM_TIMEOUT) {
            throw ApiCallAttemptTimeoutException.create(Duration.ofSeconds(2).toMillis());
        }
    }
}
