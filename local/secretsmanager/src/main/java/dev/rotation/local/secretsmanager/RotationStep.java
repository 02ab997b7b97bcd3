package dev.rotation.local.secretsmanager;

/**
 * One invocation of a rotation function, as Secrets Manager sends it to Lambda:
 * {@code {"Step", "SecretId", "ClientRequestToken", "RotationToken"}}.
 *
 * @param step               createSecret, setSecret, testSecret or finishSecret
 * @param secretId           the secret's full ARN
 * @param clientRequestToken the id of the AWSPENDING version this rotation fills in
 * @param rotationToken      an opaque token, new for each rotation
 */
public record RotationStep(String step, String secretId, String clientRequestToken, String rotationToken) {
    public static final String CREATE_SECRET = "createSecret";
    public static final String SET_SECRET = "setSecret";
    public static final String TEST_SECRET = "testSecret";
    public static final String FINISH_SECRET = "finishSecret";
}
