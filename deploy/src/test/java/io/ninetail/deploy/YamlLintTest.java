package io.ninetail.deploy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every YAML file under deploy/ is well-formed and tidy (yamllint, rules in deploy/.yamllint). */
class YamlLintTest {

    @Test
    void everyYamlFileUnderDeployPassesYamllint() {
        Tools.Result result = Tools.run("yamllint", "--strict", "-f", "parsable", "-c", "deploy/.yamllint", "deploy/");
        assertEquals(0, result.exitCode(), "yamllint found problems:\n" + result.output());
    }
}
