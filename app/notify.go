package app

// notifyingStore tells the service's OutboxNotifier, after the commit, that
// a transaction queued calls to the central API: no screen has to wake the
// sender.
type notifyingStore struct {
	Store
	s *Service
}

func (n notifyingStore) Update(fn func(Tx) error) error {
	queued := false
	err := n.Store.Update(func(tx Tx) error {
		queued = false // the store may run fn again (a retried transaction)
		return fn(&enqueueWatch{Tx: tx, queued: &queued})
	})
	if err == nil && queued {
		n.s.notifyOutbox()
	}
	return err
}

// enqueueWatch is a Tx that remembers an Enqueue.
type enqueueWatch struct {
	Tx
	queued *bool
}

func (w *enqueueWatch) Enqueue(item *OutboxItem) error {
	if err := w.Tx.Enqueue(item); err != nil {
		return err
	}
	*w.queued = true
	return nil
}

// ForEachHistory passes the full scan of the integrity check through to the
// store.
func (n notifyingStore) ForEachHistory(fn func(code string, entries []HistoryEntry) error) error {
	sc, ok := n.Store.(HistoryScanner)
	if !ok {
		return E("CheckIntegrity", KindOther, MsgNoIntegrityStore)
	}
	return sc.ForEachHistory(fn)
}

// txAs finds an optional interface of the store's own transaction (the
// full scans of the integrity check, digests, statistics) behind the
// service's wrapper.
func txAs[T any](tx Tx) (T, bool) {
	if w, ok := tx.(*enqueueWatch); ok {
		tx = w.Tx
	}
	v, ok := tx.(T)
	return v, ok
}
