package dev.deferred.impl.store;

class InMemoryMarkerStoreTest extends MarkerStoreContract {
  private final InMemoryMarkerStore store = new InMemoryMarkerStore(now::get);

  @Override
  MarkerStore store() {
    return store;
  }
}
