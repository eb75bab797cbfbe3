package app

// Resync: when the hub's feed cursor has expired, the client walks the
// hub's transfers and hands each snapshot to ApplyEvent; the snapshot is
// turned into the events this office missed, which go through the same
// handlers as live ones.

// applySnapshot brings this office up to a transfer's snapshot during a
// resync (the feed's cursor expired): whatever the snapshot shows that the
// office has not recorded is applied as the events would have been.
func (s *Service) applySnapshot(tx Tx, own string, snap *TransferSnapshot) error {
	ev := TransferEvent{TransferID: snap.ID, Version: snap.Version, DossierCode: snap.Dossier.Code,
		FromAgency: snap.FromAgency, ToAgency: snap.ToAgency, OccurredAt: snap.UpdatedAt, Snapshot: snap}
	switch {
	case snap.ToAgency == own:
		in, err := tx.Incoming(snap.ID)
		if err != nil && !Is(err, KindNotFound) {
			return err
		}
		if in == nil {
			if snap.State != TransferPending {
				return nil // decided elsewhere or withdrawn before we saw it
			}
			ev.Type, ev.Transfer = EventReceived, snap
			return s.applyAsRecipient(tx, ev)
		}
		if snap.Version <= in.Version {
			return nil
		}
		switch {
		case snap.State == TransferRecalled:
			ev.Type, ev.Recall = EventRecalled, snap.Recall
		case snap.LastStatus != nil && (snap.LastStatus.Status == StatusReturned || snap.LastStatus.Status == StatusWithdrawn):
			ev.Type, ev.Status = EventStatusChanged, snap.LastStatus
		default:
			in.Version = snap.Version
			return tx.PutIncoming(in)
		}
		return s.applyAsRecipient(tx, ev)
	case snap.FromAgency == own:
		d, t, err := senderDossier(tx, snap.Dossier.Code, snap.ID, snap.ToAgency, snap)
		if err != nil || d == nil || t == nil {
			return err
		}
		if snap.Version <= t.Version {
			return nil
		}
		if (t.State == TransferQueued || t.State == TransferPending) && snap.Ack != nil {
			typ := EventRejected
			if snap.Ack.Accepted {
				typ = EventAccepted
			}
			if err := s.senderChange(tx, d, TransferEvent{Type: typ, TransferID: snap.ID, Version: snap.Version,
				ToAgency: snap.ToAgency, OccurredAt: snap.Ack.At, Ack: snap.Ack}); err != nil {
				return err
			}
			if d, err = tx.Dossier(d.Code); err != nil {
				return err
			}
		}
		if ls := snap.LastStatus; ls != nil && ls.Status != StatusReturned && ls.Status != StatusWithdrawn {
			if t := findRef(d, snap.ID); t != nil && t.StatusCode != ls.Status {
				return s.senderChange(tx, d, TransferEvent{Type: EventStatusChanged, TransferID: snap.ID, Version: snap.Version,
					ToAgency: snap.ToAgency, OccurredAt: ls.OccurredAt, Status: ls})
			}
		}
		if t := findRef(d, snap.ID); t != nil && t.Version < snap.Version {
			t.Version = snap.Version
			d.Version++
			return tx.PutDossier(d)
		}
	}
	return nil
}
