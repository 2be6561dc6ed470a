package dev.tokenward.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's "Testing your API" examples are real test classes in the filter modules, run by the
 * build; this keeps the README quoting them character for character, so what users copy compiles and passes.
 */
class ReadmeExamplesTest {

    private static final Path ROOT = Path.of("..");

    @ParameterizedTest
    @ValueSource(strings = {
            "servlet-filter/src/test/java/com/example/orders/OrdersServletTest.java",
            "servlet-filter/src/test/java/com/example/orders/OrdersDpopTest.java",
            "jaxrs-filter/src/test/java/com/example/orders/OrdersResourceTest.java"})
    void readmeWhenItShowsAnExampleThenItIsTheTestedFileVerbatim(String example) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String source = Files.readString(ROOT.resolve(example));

        assertThat(readme).contains("This is `" + example + "`");
        assertThat(readme).as("README.md quotes %s exactly", example).contains("```java\n" + source + "```\n");
    }
}
