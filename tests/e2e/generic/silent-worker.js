// A session worker that accepts connections and never answers (tests: the join is time-boxed).
self.onconnect = () => {};
