package app

import "time"

// The outbox (hàng đợi gửi liên thông) as the screens see it: what waits to
// be sent to the central API and what the hub refused.

// OutboxItems lists every waiting call, oldest first (any signed-in
// official may look).
func (s *Service) OutboxItems(u *User) ([]OutboxItem, error) {
	if u == nil {
		return nil, E("OutboxItems", KindPermission, M(MsgDenied, MsgSeeOutbox))
	}
	var items []OutboxItem
	err := s.store.View(func(tx Tx) (err error) { items, err = tx.OutboxItems(0); return })
	return items, err
}

// RetryOutbox puts a parked call back in line, to be sent at once
// (receiving officer or administrator); the administration log records it.
func (s *Service) RetryOutbox(u *User, id string) error {
	const op = "RetryOutbox"
	err := s.store.Update(func(tx Tx) error {
		who, err := authorize(op, tx, u, RoleReceiver)
		if err != nil {
			if _, aerr := authorize(op, tx, u, RoleAdmin); aerr != nil {
				return err
			}
			who = u.Ref()
		}
		it, err := tx.OutboxItem(id)
		if err != nil {
			return err
		}
		it.Parked, it.Problem, it.LastError, it.Attempts, it.NextAttempt = false, "", "", 0, time.Time{}
		if err := tx.PutOutboxItem(it); err != nil {
			return err
		}
		return s.audit(tx, who, "outbox.retry", it.Queue, string(it.Kind))
	})
	if err == nil {
		s.notifyOutbox()
	}
	return err
}

// notifyOutbox tells the OutboxNotifier that there is something to send.
func (s *Service) notifyOutbox() {
	if p := s.notifier.Load(); p != nil && *p != nil {
		(*p).OutboxQueued()
	}
}
