package dev.deferred.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HtmlTest {

  @Test
  void everyMarkupCharacterIsEscaped() {
    assertThat(Html.text("<script>alert('x' & \"y\")</script>"))
        .isEqualTo("&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
    assertThat(Html.text(null)).isEmpty();
  }

  @Test
  void theConsolePathIsCheckedAndNormalised() {
    assertThat(ConsoleInitializer.path(Optional.empty())).isEqualTo("/deferred-console");
    assertThat(ConsoleInitializer.path(Optional.of("/ops/tasks/"))).isEqualTo("/ops/tasks");
    assertThatThrownBy(() -> ConsoleInitializer.path(Optional.of("/")))
        .hasMessage(
            "DEFERRED-8005: Invalid value '/' for deferred.console.path: expected a path such as"
                + " /deferred-console (starting with '/', not '/' alone, without '*', '?', '#' or"
                + " spaces)");
    assertThatThrownBy(() -> ConsoleInitializer.path(Optional.of("ops/*")))
        .hasMessageStartingWith("DEFERRED-8005: Invalid value 'ops/*'");
  }
}
