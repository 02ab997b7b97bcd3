package dev.rotation.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamTemplateTest {
    static final String TEMPLATE = """
            AWSTemplateFormatVersion: '2010-09-09'
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Prefix:
                Type: String
                Default: rot
              Subnets:
                Type: CommaDelimitedList
                Default: ''
              Master:
                Type: String
                Default: ''
              Level:
                Type: String
                Default: INFO
            Conditions:
              InVpc: !Not [!Equals [!Join ['', !Ref Subnets], '']]
              HasMaster: !Not [!Equals [!Ref Master, '']]
              IsInfo: !Equals [!Ref Level, INFO]
            Globals:
              Function:
                Runtime: java21
                MemorySize: 256
                Timeout: 20
                VpcConfig: !If [InVpc, {SubnetIds: !Ref Subnets}, !Ref AWS::NoValue]
                Environment:
                  Variables:
                    GLOBAL_VAR: global
                    LOG_LEVEL: !Ref Level
                    DROPPED_VAR: !If [HasMaster, !Ref Master, !Ref AWS::NoValue]
                    CONDITIONAL_VAR: !If [IsInfo, info-level, other]
                    REGION_VAR: !Sub '${AWS::Region}/${AWS::AccountId}/${!Literal}'
                    UNKNOWABLE: !GetAtt Other.Arn
            Resources:
              EchoFunction:
                Type: AWS::Serverless::Function
                Properties:
                  FunctionName: !Sub ${Prefix}-echo
                  CodeUri: code/echo.jar
                  Handler: pkg.Echo::handleRequest
                  Environment:
                    Variables:
                      OWN_VAR: !Join ['-', [a, !Ref Prefix]]
                      GLOBAL_VAR: overridden
              Conditional:
                Type: AWS::Serverless::Function
                Condition: HasMaster
                Properties:
                  CodeUri: ../elsewhere/
                  Handler: pkg.Other::handleRequest
                  Timeout: 5
                  MemorySize: 1024
              Permission:
                Type: AWS::Lambda::Permission
                Properties:
                  FunctionName: !GetAtt EchoFunction.Arn
            """;

    @TempDir
    Path dir;

    private SamTemplate read() throws Exception {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, TEMPLATE);
        return SamTemplate.read(file, "eu-west-1", Map.of());
    }

    @Test
    void read_resolvesHandlerCodeUriAndSettingsWithGlobals() throws Exception {
        FunctionDefinition echo = read().function("EchoFunction");

        assertThat(echo.functionName()).isEqualTo("rot-echo");
        assertThat(echo.handler()).isEqualTo("pkg.Echo::handleRequest");
        assertThat(echo.codeUri()).isEqualTo(dir.resolve("code/echo.jar").toAbsolutePath().normalize());
        assertThat(echo.memoryMb()).isEqualTo(256);
        assertThat(echo.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(echo.runtime()).isEqualTo("java21");
    }

    @Test
    void read_mergesEnvironmentAndResolvesIntrinsicsOrDropsThem() throws Exception {
        Map<String, String> env = read().function("EchoFunction").environment();

        assertThat(env).containsEntry("GLOBAL_VAR", "overridden")
                .containsEntry("OWN_VAR", "a-rot")
                .containsEntry("LOG_LEVEL", "INFO")
                .containsEntry("CONDITIONAL_VAR", "info-level")
                .containsEntry("REGION_VAR", "eu-west-1/123456789012/${Literal}")
                .doesNotContainKeys("DROPPED_VAR", "UNKNOWABLE");
    }

    @Test
    void read_keepsFunctionsWhoseResourceConditionIsFalse() throws Exception {
        FunctionDefinition other = read().function("Conditional");

        assertThat(other.functionName()).isEqualTo("Conditional");
        assertThat(other.codeUri()).isEqualTo(dir.getParent().resolve("elsewhere").toAbsolutePath().normalize());
        assertThat(other.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(other.memoryMb()).isEqualTo(1024);
    }

    @Test
    void find_acceptsLogicalIdFunctionNameAndLambdaArn() throws Exception {
        SamTemplate template = read();

        assertThat(template.find("rot-echo")).map(FunctionDefinition::logicalId).contains("EchoFunction");
        assertThat(template.find("arn:aws:lambda:us-east-1:123456789012:function:rot-echo"))
                .map(FunctionDefinition::logicalId).contains("EchoFunction");
        assertThat(template.find("arn:aws:lambda:us-east-1:123456789012:function:Conditional:$LATEST"))
                .map(FunctionDefinition::logicalId).contains("Conditional");
        assertThat(template.find("Permission")).isEmpty();
        assertThatThrownBy(() -> template.function("nope")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("no function nope").hasMessageContaining("EchoFunction (rot-echo)");
    }

    @Test
    void envVarsFile_appliesParametersThenTheFunctionsEntry() throws Exception {
        Path env = dir.resolve("env.json");
        Files.writeString(env, """
                {"Parameters": {"PARAM_VAR": "p", "GLOBAL_VAR": "from-parameters"},
                 "EchoFunction": {"GLOBAL_VAR": "from-function", "PORT": 5432}}
                """);

        FunctionDefinition echo = EnvVarsFile.read(env).apply(read().function("EchoFunction"));

        assertThat(echo.environment()).containsEntry("PARAM_VAR", "p").containsEntry("GLOBAL_VAR", "from-function")
                .containsEntry("PORT", "5432").containsEntry("OWN_VAR", "a-rot");
    }

    @Test
    void read_badYaml_failsWithTheFileName() throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "Resources: [unclosed");

        assertThatThrownBy(() -> SamTemplate.read(file, "us-east-1", Map.of())).isInstanceOf(TemplateException.class)
                .hasMessageContaining("broken.yaml");
    }

    @Test
    void read_projectStyleFunctionWithoutHandler_failsNamingIt() throws Exception {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                Resources:
                  NoHandler:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: x.jar
                """);

        assertThatThrownBy(() -> SamTemplate.read(file, "us-east-1", Map.of())).isInstanceOf(TemplateException.class)
                .hasMessageContaining("NoHandler has no Handler");
    }
}
