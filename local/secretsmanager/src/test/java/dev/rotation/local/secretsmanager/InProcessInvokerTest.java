package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InProcessInvokerTest {
    private static final RotationStep STEP = new RotationStep("createSecret", "arn:secret", "token", "rt");

    @Test
    void invoke_resolvesFunctionArnByName() throws Exception {
        List<RotationStep> seen = new ArrayList<>();
        InProcessInvoker invoker = new InProcessInvoker().register("rotate-db", seen::add);
        invoker.invoke("arn:aws:lambda:eu-west-1:111122223333:function:rotate-db", STEP);
        invoker.invoke("arn:aws:lambda:eu-west-1:111122223333:function:rotate-db:live", STEP);
        invoker.invoke("rotate-db", STEP);
        assertThat(seen).hasSize(3).containsOnly(STEP);
    }

    @Test
    void invoke_unknownFunction_failsLikeLambdaResourceNotFound() {
        InProcessInvoker invoker = new InProcessInvoker().register("a", s -> { });
        assertThatThrownBy(() -> invoker.invoke("arn:aws:lambda:us-east-1:123456789012:function:b", STEP))
                .isInstanceOf(InProcessInvoker.FunctionNotFoundException.class)
                .hasMessageContaining("ResourceNotFoundException").hasMessageContaining("function:b");
    }

    @Test
    void unregister_makesLaterInvocationsFail() {
        InProcessInvoker invoker = new InProcessInvoker().register("a", s -> { });
        invoker.unregister("arn:aws:lambda:us-east-1:123456789012:function:a");
        assertThatThrownBy(() -> invoker.invoke("a", STEP)).isInstanceOf(InProcessInvoker.FunctionNotFoundException.class);
    }

    @Test
    void invoke_handlerFailure_propagates() {
        InProcessInvoker invoker = new InProcessInvoker().register("a", s -> {
            throw new java.sql.SQLException("access denied");
        });
        assertThatThrownBy(() -> invoker.invoke("a", STEP)).hasMessage("access denied");
    }
}
