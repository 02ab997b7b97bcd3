"""createSecret as the AWS reference rotation functions do it in Python, with boto3: the same
Secrets Manager calls as the Java function's createSecret (DescribeSecret, GetSecretValue of
AWSCURRENT, GetSecretValue of the token's AWSPENDING, GetRandomPassword, PutSecretValue).
Run as a fresh process per cold start; prints "done" when the step has finished."""
import json
import os
import sys

import boto3


def main():
    event = json.loads(sys.argv[1])
    exclude = sys.argv[2]
    arn = event["SecretId"]
    token = event["ClientRequestToken"]
    client = boto3.client("secretsmanager", endpoint_url=os.environ["SECRETS_MANAGER_ENDPOINT"],
                          region_name=os.environ["AWS_REGION"])
    metadata = client.describe_secret(SecretId=arn)
    if not metadata.get("RotationEnabled"):
        raise ValueError("rotation is not enabled")
    versions = metadata["VersionIdsToStages"]
    if token not in versions:
        raise ValueError("no such version")
    if "AWSCURRENT" in versions[token]:
        print("done", flush=True)
        return
    if "AWSPENDING" not in versions[token]:
        raise ValueError("version is not AWSPENDING")
    current = json.loads(client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"])
    try:
        client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
    except client.exceptions.ResourceNotFoundException:
        password = client.get_random_password(ExcludeCharacters=exclude, PasswordLength=32)["RandomPassword"]
        current["password"] = password
        client.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(current),
                                VersionStages=["AWSPENDING"])
    print("done", flush=True)


if __name__ == "__main__":
    main()
