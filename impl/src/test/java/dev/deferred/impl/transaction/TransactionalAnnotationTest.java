package dev.deferred.impl.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * Where {@code @Transactional} is read from, in the order its interceptor binding applies: the
 * method on the bean class, the method as called, the bean class and its superclasses, the class
 * that declares the method.
 */
class TransactionalAnnotationTest {

  interface Api {
    void plain();

    @Transactional(TxType.MANDATORY)
    void onInterfaceMethod();
  }

  @Transactional(TxType.SUPPORTS)
  interface AnnotatedApi {
    void fromDeclaringType();
  }

  static class NotTransactional implements Api {
    @Override
    public void plain() {}

    @Override
    public void onInterfaceMethod() {}
  }

  @Transactional(TxType.REQUIRES_NEW)
  static class ClassLevel {
    public void inherited() {}

    @Transactional(TxType.NOT_SUPPORTED)
    public void ownAnnotation() {}

    @Transactional
    void notPublic() {}
  }

  static class SubOfClassLevel extends ClassLevel {}

  static class ImplementsAnnotatedApi implements AnnotatedApi {
    @Override
    public void fromDeclaringType() {}
  }

  static class PlainBase {
    public void work() {}
  }

  @Transactional(TxType.NEVER)
  static class AnnotatedSubclass extends PlainBase {}

  private static Method method(Class<?> type, String name) throws NoSuchMethodException {
    return type.getDeclaredMethod(name);
  }

  @Test
  void noAnnotationAnywhereIsNull() throws Exception {
    assertThat(TransactionalAnnotation.txType(NotTransactional.class, method(Api.class, "plain")))
        .isNull();
  }

  @Test
  void theMethodOnTheBeanClassWinsOverItsClass() throws Exception {
    assertThat(
            TransactionalAnnotation.txType(
                ClassLevel.class, method(ClassLevel.class, "ownAnnotation")))
        .isEqualTo("NOT_SUPPORTED");
    // Found through the bean class even when the method given is the subclass's inherited one.
    assertThat(
            TransactionalAnnotation.txType(
                SubOfClassLevel.class, method(ClassLevel.class, "ownAnnotation")))
        .isEqualTo("NOT_SUPPORTED");
  }

  @Test
  void theMethodAsCalledCountsWhenTheBeanClassMethodHasNone() throws Exception {
    assertThat(
            TransactionalAnnotation.txType(
                NotTransactional.class, method(Api.class, "onInterfaceMethod")))
        .isEqualTo("MANDATORY");
  }

  @Test
  void aNonPublicMethodIsReadWhereItIsDeclared() throws Exception {
    assertThat(
            TransactionalAnnotation.txType(ClassLevel.class, method(ClassLevel.class, "notPublic")))
        .isEqualTo("REQUIRED");
  }

  @Test
  void theBeanClassOrASuperclassGivesTheTypeOfAnUnannotatedMethod() throws Exception {
    assertThat(
            TransactionalAnnotation.txType(ClassLevel.class, method(ClassLevel.class, "inherited")))
        .isEqualTo("REQUIRES_NEW");
    assertThat(
            TransactionalAnnotation.txType(
                SubOfClassLevel.class, method(ClassLevel.class, "inherited")))
        .isEqualTo("REQUIRES_NEW");
  }

  @Test
  void theBeanClassAnnotationCoversAMethodItInheritsFromAPlainClass() throws Exception {
    assertThat(
            TransactionalAnnotation.txType(
                AnnotatedSubclass.class, method(PlainBase.class, "work")))
        .isEqualTo("NEVER");
  }

  @Test
  void theDeclaringTypeIsReadLast() throws Exception {
    assertThat(
            TransactionalAnnotation.txType(
                ImplementsAnnotatedApi.class, method(AnnotatedApi.class, "fromDeclaringType")))
        .isEqualTo("SUPPORTS");
  }
}
