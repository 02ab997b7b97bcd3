"""
Project rules for template.yaml, run by cfn-lint (.cfnlintrc appends this folder) on the template as
the SAM transform leaves it, so they see the roles SAM would generate too.
"""

from cfnlint.rules import CloudFormationLintRule, RuleMatch

VPC_POLICY = "service-role/AWSLambdaVPCAccessExecutionRole"


def _mentions(value, text):
    return text in str(value)


class VpcPolicyOnlyInVpc(CloudFormationLintRule):
    """A function outside a VPC must not hold the ENI permissions of AWSLambdaVPCAccessExecutionRole."""

    id = "E9101"
    shortdesc = "AWSLambdaVPCAccessExecutionRole only under the InVpc condition"
    description = (
        "Every AWS::IAM::Role that attaches AWSLambdaVPCAccessExecutionRole does so inside an "
        "Fn::If on InVpc. SAM attaches it to the roles it generates whenever VpcConfig is present, "
        "even when VpcConfig is an Fn::If that yields AWS::NoValue."
    )
    source_url = "https://github.com/aws/serverless-application-model/issues/3502"
    tags = ["iam", "vpc"]

    def match(self, cfn):
        matches = []
        for name, resource in cfn.get_resources(["AWS::IAM::Role"]).items():
            arns = resource.get("Properties", {}).get("ManagedPolicyArns", [])
            if not isinstance(arns, list):
                continue
            for i, arn in enumerate(arns):
                if not _mentions(arn, VPC_POLICY):
                    continue
                conditional = isinstance(arn, dict) and "Fn::If" in arn and arn["Fn::If"][0] == "InVpc"
                if not conditional:
                    matches.append(RuleMatch(
                        ["Resources", name, "Properties", "ManagedPolicyArns", i],
                        f"{name} attaches AWSLambdaVPCAccessExecutionRole outside Fn::If [InVpc, ...]"))
        return matches


class KmsOnlyViaSecretsManager(CloudFormationLintRule):
    """The secrets' keys serve Secrets Manager calls only, not direct kms:Decrypt of anything they encrypt."""

    id = "E9102"
    shortdesc = "KMS grants carry kms:ViaService secretsmanager.REGION.amazonaws.com"
    description = (
        "Every IAM policy statement that allows a kms: action has the condition "
        "StringEquals kms:ViaService: secretsmanager.${AWS::Region}.amazonaws.com."
    )
    source_url = "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html"
    tags = ["iam", "kms"]

    def match(self, cfn):
        matches = []
        for name, resource in cfn.get_resources().items():
            for path, statement in _statements(resource.get("Properties", {}), ["Resources", name, "Properties"]):
                actions = statement.get("Action", [])
                actions = actions if isinstance(actions, list) else [actions]
                if not any(isinstance(a, str) and a.startswith("kms:") for a in actions):
                    continue
                via = statement.get("Condition", {}).get("StringEquals", {}).get("kms:ViaService")
                if via != {"Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"}:
                    matches.append(RuleMatch(path, f"{name}: a KMS grant without kms:ViaService "
                                                   "secretsmanager.${AWS::Region}.amazonaws.com"))
        return matches


def _statements(value, path):
    """(path, statement) for every IAM statement under value, through Fn::If branches."""
    if isinstance(value, dict):
        if "Effect" in value and "Action" in value:
            yield path, value
            return
        for key, item in value.items():
            yield from _statements(item, path + [key])
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _statements(item, path + [i])
