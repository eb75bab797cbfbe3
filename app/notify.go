package app

// notifyingStore tells the service's OutboxNotifier, after the commit, that
// a transaction queued calls to the central API: no screen has to wake the
// sender. It also announces what the transaction changed to the
// subscribers of the change feed (changes.go), after the commit only.
type notifyingStore struct {
	Store
	s *Service
}

func (n notifyingStore) Update(fn func(Tx) error) error {
	queued := false
	var changes changeSet
	err := n.Store.Update(func(tx Tx) error {
		queued = false // the store may run fn again (a retried transaction)
		changes.reset()
		return fn(&enqueueWatch{Tx: tx, queued: &queued, s: n.s, changes: &changes})
	})
	if err == nil && queued {
		n.s.notifyOutbox()
	}
	if err == nil {
		n.s.Announce(changes.list...)
	}
	return err
}

// enqueueWatch is a Tx that remembers an Enqueue. It is also the one path
// every dossier change takes: PutDossier queues the dossier's public face.
type enqueueWatch struct {
	Tx
	queued  *bool
	s       *Service
	changes *changeSet // what the transaction changed, announced after the commit
}

func (w *enqueueWatch) PutDossier(d *Dossier) error {
	if err := w.Tx.PutDossier(d); err != nil {
		return err
	}
	w.changes.add(ChangeDossier, d.Code)
	return publish(w, d, w.s.Now())
}

// watch wraps a transaction the client opened itself (events of the hub)
// so that its dossier changes are published too; the client wakes its
// sender after applying events.
func (s *Service) watch(tx Tx) Tx {
	if _, ok := tx.(*enqueueWatch); ok {
		return tx
	}
	return &enqueueWatch{Tx: tx, queued: new(bool), s: s, changes: new(changeSet)}
}

func (w *enqueueWatch) Enqueue(item *OutboxItem) error {
	if err := w.Tx.Enqueue(item); err != nil {
		return err
	}
	*w.queued = true
	w.changes.add(ChangeOutbox, item.Queue)
	return nil
}

// The other writes a screen shows: each is noted for the change feed.

func (w *enqueueWatch) PutOutboxItem(item *OutboxItem) error {
	return w.note(w.Tx.PutOutboxItem(item), ChangeOutbox, item.Queue)
}

func (w *enqueueWatch) DeleteOutboxItem(id string) error {
	return w.note(w.Tx.DeleteOutboxItem(id), ChangeOutbox, "")
}

func (w *enqueueWatch) PutUser(u *User) error {
	return w.note(w.Tx.PutUser(u), ChangeUser, u.Username)
}

func (w *enqueueWatch) PutAgency(a *Agency) error {
	return w.note(w.Tx.PutAgency(a), ChangeOffice, "agency")
}

func (w *enqueueWatch) PutSettings(st Settings) error {
	return w.note(w.Tx.PutSettings(st), ChangeOffice, "settings")
}

func (w *enqueueWatch) PutProcedure(p *Procedure) error {
	return w.note(w.Tx.PutProcedure(p), ChangeProcedures, "")
}

func (w *enqueueWatch) DeleteProcedure(code string) error {
	return w.note(w.Tx.DeleteProcedure(code), ChangeProcedures, "")
}

func (w *enqueueWatch) PutCalendarEntry(e CalendarEntry) error {
	return w.note(w.Tx.PutCalendarEntry(e), ChangeCalendar, "")
}

func (w *enqueueWatch) DeleteCalendarEntry(date string) error {
	return w.note(w.Tx.DeleteCalendarEntry(date), ChangeCalendar, "")
}

func (w *enqueueWatch) PutIncoming(t *IncomingTransfer) error {
	return w.note(w.Tx.PutIncoming(t), ChangeIncoming, t.ID)
}

func (w *enqueueWatch) PutSubmission(sub *OnlineSubmission) error {
	return w.note(w.Tx.PutSubmission(sub), ChangeSubmission, sub.ID)
}

// note records a change when the write succeeded.
func (w *enqueueWatch) note(err error, kind ChangeKind, key string) error {
	if err == nil {
		w.changes.add(kind, key)
	}
	return err
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
