package dev.deferred.impl.store;

class InMemoryMarkerStoreTest extends MarkerStoreContract {
  private final InMemoryMarkerStore store = new InMemoryMarkerStore();

  @Override
  MarkerStore store() {
    return store;
  }
}
