package dev.deferred.impl.codec;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import jakarta.json.JsonObject;
import java.lang.annotation.Annotation;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QualifierCodecTest {

  @Qualifier @Retention(RetentionPolicy.RUNTIME)
  @interface Region {
    String value();

    TimeUnit unit() default TimeUnit.SECONDS;

    int[] zones() default {};

    Class<?> type() default Object.class;
  }

  static final class RegionLiteral extends AnnotationLiteral<Region> implements Region {
    private static final long serialVersionUID = 1L;
    private final String value;

    RegionLiteral(String value) {
      this.value = value;
    }

    @Override
    public String value() {
      return value;
    }

    @Override
    public TimeUnit unit() {
      return TimeUnit.MINUTES;
    }

    @Override
    public int[] zones() {
      return new int[] {1, 2};
    }

    @Override
    public Class<?> type() {
      return String.class;
    }
  }

  @Test
  void aQualifierWithMembersRoundTripsToAnEqualAnnotation() throws Exception {
    Annotation original = new RegionLiteral("eu");

    JsonObject json = QualifierCodec.encode(original);
    Annotation decoded = QualifierCodec.decode(json, getClass().getClassLoader());

    assertThat(decoded).isEqualTo(original);
    assertThat(original).isEqualTo(decoded);
    assertThat(decoded.hashCode()).isEqualTo(original.hashCode());
    assertThat(((Region) decoded).zones()).containsExactly(1, 2);
    assertThat(decoded.annotationType()).isEqualTo(Region.class);
    assertThat(decoded.toString()).contains("value=\"eu\"", "unit=MINUTES");
  }

  @Test
  void aDifferentMemberValueIsADifferentQualifier() throws Exception {
    Annotation decoded =
        QualifierCodec.decode(
            QualifierCodec.encode(new RegionLiteral("eu")), getClass().getClassLoader());

    assertThat(decoded).isNotEqualTo(new RegionLiteral("us"));
  }
}
