#!/usr/bin/env python3
"""
Writes template-image.yaml, the container-image variant of template.yaml: the same parameters,
roles, permissions, alarms and outputs, with each function as PackageType Image built by SAM from its
engine's Dockerfile (Metadata: Dockerfile, DockerContext, DockerTag) and its handler as the image's
command. Image functions take no Runtime, Handler, Layers or SnapStart: those lines of Globals go,
and with them the CaBundleLayerArn parameter (a CA bundle goes into the image instead, at the path
DbTlsCaBundle names).

One source: template.yaml. Run from the repository root after changing it:

    image/template-image.py            # writes template-image.yaml
    image/template-image.py --check    # exits 1 if template-image.yaml is not what template.yaml makes (CI)
"""
import pathlib
import re
import sys

HEADER = ("# GENERATED from template.yaml by image/template-image.py: edit template.yaml and run that script.\n"
          "# The container-image variant (README, \"Cold start, footprint and throughput\"): build the jars,\n"
          "# then sam build --template-file template-image.yaml && sam deploy --guided.\n")


def fail(message):
    sys.exit(f"template-image.py: {message}")


def replace_once(text, pattern, replacement, what, flags=re.MULTILINE):
    text, count = re.subn(pattern, replacement, text, flags=flags)
    if count != 1:
        fail(f"{what} not found once in template.yaml")
    return text


def image_variant(template):
    text = template
    text = replace_once(text, r"^    Runtime: java\d+\n", "", "Globals' Runtime")
    text = replace_once(text, r"^    # SnapStart:.*\n(?:    # .*\n)*    SnapStart:\n      ApplyOn: .*\n",
                        "    # Image functions start with the AOT cache their image build trained (no SnapStart).\n",
                        "Globals' SnapStart block")
    text = replace_once(text, r"^    Layers: .*\n", "", "Globals' Layers")
    text = replace_once(text, r"^  CaBundleLayerArn:\n(?:    .*\n)+", "", "the CaBundleLayerArn parameter")
    text = replace_once(text, r"^  HasCaBundleLayer: .*\n", "", "the HasCaBundleLayer condition")
    text = text.replace("With the RDS bundle in a layer\n      (CaBundleLayerArn): /opt/rds-ca/global-bundle.pem, as README.md builds it.",
                        "With the RDS bundle copied into the\n      image: its path there.")
    text = text.replace("(the SnapStart alias 'live')", "(the alias 'live')")

    def function(match):
        resource, engine, handler = match.group(1), match.group(3), match.group(4)
        return (f"{resource}    Type: AWS::Serverless::Function\n"
                f"    Metadata:\n"
                f"      Dockerfile: rotation-{engine}/Dockerfile\n"
                f"      DockerContext: .\n"
                f"      DockerTag: {engine}\n"
                f"{match.group(2)}"
                f"      PackageType: Image\n"
                f"      ImageConfig:\n"
                f"        Command: [{handler}]\n")

    text, count = re.subn(
        r"^(  \w+RotationFunction:\n)    Type: AWS::Serverless::Function\n((?:    (?!Properties:).*\n)*    Properties:\n"
        r"(?:      (?!CodeUri:).*\n)*?)      CodeUri: rotation-(\w+)/target/rotation-\w+\.jar\n      Handler: (\S+)\n",
        function, text, flags=re.MULTILINE)
    if count != 4:
        fail(f"expected 4 functions with CodeUri and Handler, found {count}")
    return HEADER + text


def main():
    made = image_variant(pathlib.Path("template.yaml").read_text())
    target = pathlib.Path("template-image.yaml")
    if sys.argv[1:] == ["--check"]:
        if not target.exists() or target.read_text() != made:
            print("template-image.yaml is not what template.yaml makes: run image/template-image.py")
            return 1
        print("template-image.yaml: up to date with template.yaml")
        return 0
    target.write_text(made)
    return 0


if __name__ == "__main__":
    sys.exit(main())
