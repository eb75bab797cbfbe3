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
		return fn(&enqueueWatch{Tx: tx, queued: &queued, s: n.s})
	})
	if err == nil && queued {
		n.s.notifyOutbox()
	}
	return err
}

// enqueueWatch is a Tx that remembers an Enqueue. It is also the one path
// every dossier change takes: PutDossier queues the dossier's public face.
type enqueueWatch struct {
	Tx
	queued *bool
	s      *Service
}

func (w *enqueueWatch) PutDossier(d *Dossier) error {
	if err := w.Tx.PutDossier(d); err != nil {
		return err
	}
	return publish(w, d, w.s.Now())
}

// watch wraps a transaction the client opened itself (events of the hub)
// so that its dossier changes are published too; the client wakes its
// sender after applying events.
func (s *Service) watch(tx Tx) Tx {
	if _, ok := tx.(*enqueueWatch); ok {
		return tx
	}
	return &enqueueWatch{Tx: tx, queued: new(bool), s: s}
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
