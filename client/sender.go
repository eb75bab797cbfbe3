package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sirupsen/logrus"

	"motcua/api"
	"motcua/app"
)

// The outbox sender. Every dossier is its own queue: the store hands out the
// first item of each queue (OutboxHeads) and up to Workers of them are sent
// at once. An item that failed waits for its NextAttempt without holding up
// the other queues; a parked one waits for a person (Retry).

// errPark marks a failure that no retry will fix (shown on the item).
type errPark struct{ msg string }

func (e *errPark) Error() string { return e.msg }

func (c *Client) sendLoop(ctx context.Context) {
	sem := make(chan struct{}, c.cfg.Workers)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		next := c.dispatch(ctx, sem)
		wait := c.cfg.Idle
		if !next.IsZero() {
			if d := time.Until(next); d < wait {
				wait = max(d, 10*time.Millisecond)
			}
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			for range cap(sem) { // wait for the workers
				sem <- struct{}{}
			}
			return
		case <-c.kick:
		case <-timer.C:
		}
	}
}

// dispatch starts a worker for every head that is due and not in flight, and
// returns the earliest future attempt among the others.
func (c *Client) dispatch(ctx context.Context, sem chan struct{}) (next time.Time) {
	var heads []app.OutboxItem
	if err := c.store.View(func(tx app.Tx) (err error) {
		heads, err = tx.OutboxHeads(0)
		return err
	}); err != nil {
		c.log.WithError(err).Error("liên thông: read outbox")
		return time.Now().Add(c.cfg.Idle)
	}
	now := time.Now()
	for _, it := range heads {
		if it.Parked {
			continue
		}
		if it.NextAttempt.After(now) {
			if next.IsZero() || it.NextAttempt.Before(next) {
				next = it.NextAttempt
			}
			continue
		}
		c.mu.Lock()
		busy := c.inflight[it.Queue]
		if !busy {
			c.inflight[it.Queue] = true
		}
		c.mu.Unlock()
		if busy {
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			c.release(it.Queue)
			return
		}
		go func(it app.OutboxItem) {
			defer func() { <-sem; c.release(it.Queue); c.Kick() }()
			c.sendItem(ctx, it.ID)
		}(it)
	}
	return next
}

func (c *Client) release(queue string) {
	c.mu.Lock()
	delete(c.inflight, queue)
	c.mu.Unlock()
}

// sendItem sends one outbox item and records the outcome.
func (c *Client) sendItem(ctx context.Context, id string) {
	var it *app.OutboxItem
	err := c.store.View(func(tx app.Tx) (err error) {
		it, err = tx.OutboxItem(id)
		return err
	})
	if err != nil || it.Parked || it.NextAttempt.After(time.Now()) {
		return // sent meanwhile, parked, or rescheduled
	}
	log := c.log.WithFields(logrus.Fields{"item": it.ID, "kind": it.Kind, "queue": it.Queue, "attempt": it.Attempts + 1})
	err = c.perform(ctx, it)
	if err == nil {
		log.Debug("liên thông: sent")
		c.changed()
		return
	}
	if ctx.Err() != nil {
		return // stopping: the item stays as it was
	}
	var he *HubError
	var park *errPark
	transient := true
	msg := err.Error()
	switch {
	case errors.As(err, &park):
		transient = false
	case errors.As(err, &he):
		transient = he.Transient()
		if !transient {
			msg = he.Detail()
		}
	}
	c.failed(err)
	uerr := c.store.Update(func(tx app.Tx) error {
		cur, err := tx.OutboxItem(it.ID)
		if app.Is(err, app.KindNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		cur.Attempts++
		cur.LastError = msg
		if transient {
			var after time.Duration
			if he != nil {
				after = he.RetryAfter
			}
			cur.NextAttempt = time.Now().Add(c.backoff(cur.Attempts, after))
		} else {
			cur.Parked, cur.Problem = true, msg
		}
		return tx.PutOutboxItem(cur)
	})
	if uerr != nil {
		log.WithError(uerr).Error("liên thông: record failure")
	}
	if transient {
		log.WithError(err).Warn("liên thông: will retry")
	} else {
		log.WithField("problem", msg).Error("liên thông: parked, needs a person")
	}
	c.changed()
}

func (c *Client) perform(ctx context.Context, it *app.OutboxItem) error {
	switch it.Kind {
	case app.OutboxTransfer:
		return c.sendTransfer(ctx, it)
	case app.OutboxStatus:
		return c.sendStatus(ctx, it)
	case app.OutboxAck:
		return c.sendAck(ctx, it)
	case app.OutboxRecall:
		return c.sendRecall(ctx, it)
	case app.OutboxDigest:
		return c.sendDigest(ctx, it)
	case app.OutboxDecision:
		return c.sendDecision(ctx, it)
	case app.OutboxPublic:
		return c.sendPublic(ctx, it)
	}
	return &errPark{fmt.Sprintf("Loại yêu cầu không hỗ trợ: %s", it.Kind)}
}

func decodeIntent(it *app.OutboxItem, v any) error {
	if err := json.Unmarshal(it.Payload, v); err != nil {
		return &errPark{fmt.Sprintf("Nội dung yêu cầu hỏng: %v", err)}
	}
	return nil
}

// finish deletes a sent item and records the hub's answer in one transaction.
// A record about a dossier that is gone no longer matters. An item already
// gone was finished by another desk of the office (two leaders overlap for
// a moment when a lease is lost while a call is in flight; both sent it
// under the same Idempotency-Key, so the hub did it once and gave both the
// same answer): its record stands and is not written twice.
func (c *Client) finish(it *app.OutboxItem, record func(tx app.Tx) error) error {
	return c.store.Update(func(tx app.Tx) error {
		// An item gone meanwhile still has its answer recorded: the citizen
		// withdrew the dossier while the call was on the wire (the use case
		// then recalls what the hub now holds), or another desk finished it
		// (the records are idempotent: a replayed answer changes nothing).
		if err := tx.DeleteOutboxItem(it.ID); err != nil && !app.Is(err, app.KindNotFound) {
			return err
		}
		if err := record(tx); err != nil && !app.Is(err, app.KindNotFound) {
			return err
		}
		return nil
	})
}

func (c *Client) sendTransfer(ctx context.Context, it *app.OutboxItem) error {
	var in app.TransferIntent
	if err := decodeIntent(it, &in); err != nil {
		return err
	}
	for _, d := range in.Dossier.Documents {
		if d.SHA256 != "" {
			if err := c.ensureBlob(ctx, d.SHA256, d.Name); err != nil {
				return err
			}
		}
	}
	req := api.TransferRequest{GroupID: in.GroupID, Purpose: wirePurpose(in.Purpose), Follows: in.Follows, ToAgency: in.ToAgency,
		Dossier: toWireDossier(&in.Dossier, in.Note)}
	var tr api.Transfer
	_, err := c.call(ctx, http.MethodPost, "/v1/transfers", map[string]string{api.HeaderIdempotencyKey: it.IdempotencyKey}, req, &tr)
	var he *HubError
	if errors.As(err, &he) && he.Code() == api.CodeBlobMissing {
		// The hub deletes blobs nobody referenced for 7 days; a transfer
		// parked longer (or a blob collected between our HEAD and the
		// create) is uploaded again and the create retried once.
		for _, d := range in.Dossier.Documents {
			if d.SHA256 != "" {
				if err := c.ensureBlob(ctx, d.SHA256, d.Name); err != nil {
					return err
				}
			}
		}
		_, err = c.call(ctx, http.MethodPost, "/v1/transfers", map[string]string{api.HeaderIdempotencyKey: it.IdempotencyKey}, req, &tr)
	}
	if errors.As(err, &he) && he.Code() == api.CodeDuplicateTransfer && he.Problem.TransferID != "" {
		// Our own creation whose answer was lost beyond the idempotency
		// window: the existing transfer is ours if it carries this dossier.
		var ex api.Transfer
		if _, gerr := c.call(ctx, http.MethodGet, "/v1/transfers/"+he.Problem.TransferID, nil, nil, &ex); gerr == nil &&
			ex.FromAgency == c.own && ex.ToAgency == in.ToAgency && ex.Dossier.DossierCode == in.Dossier.Code &&
			fromWirePurpose(ex.Purpose) == in.Purpose && c.adoptable(it.Queue, ex.ID) {
			tr, err = ex, nil
		}
	}
	if err != nil {
		return err
	}
	return c.finish(it, func(tx app.Tx) error {
		return c.svc.TransferSent(tx, it.Queue, in.LocalRef, tr.ID, int(tr.Version))
	})
}

// adoptable reports whether no other transfer of the dossier already has id.
func (c *Client) adoptable(code, id string) bool {
	ok := true
	_ = c.store.View(func(tx app.Tx) error {
		d, err := tx.Dossier(code)
		if err != nil {
			return err
		}
		for _, t := range d.Transfers {
			if t.ID == id {
				ok = false
			}
		}
		return nil
	})
	return ok
}

// version is the last version of a transfer this office recorded.
func (c *Client) version(queue, id string) int {
	v := 0
	_ = c.store.View(func(tx app.Tx) error {
		if in, err := tx.Incoming(id); err == nil {
			v = in.Version
			return nil
		}
		d, err := tx.Dossier(queue)
		if err != nil {
			return err
		}
		for _, t := range d.Transfers {
			if t.ID == id {
				v = t.Version
			}
		}
		return nil
	})
	return v
}

func (c *Client) sendStatus(ctx context.Context, it *app.OutboxItem) error {
	var in app.StatusIntent
	if err := decodeIntent(it, &in); err != nil {
		return err
	}
	for _, r := range in.Results {
		if r.SHA256 != "" {
			if err := c.ensureBlob(ctx, r.SHA256, r.Name); err != nil {
				return err
			}
		}
	}
	body := toWireStatus(in.TransferStatus)
	path := "/v1/transfers/" + in.TransferID + "/status"
	v := c.version(it.Queue, in.TransferID)
	key := it.IdempotencyKey
	for round := 0; ; round++ {
		var tr api.Transfer
		var err error
		if v < 1 {
			err = &HubError{Status: http.StatusPreconditionFailed, Problem: api.NewProblem(api.CodeVersionMismatch, "unknown version")}
		} else {
			_, err = c.call(ctx, http.MethodPost, path, map[string]string{api.HeaderIdempotencyKey: key, api.HeaderIfMatch: api.ETag(int64(v))}, body, &tr)
		}
		var he *HubError
		if errors.As(err, &he) && he.Code() == api.CodeBlobMissing && round < 3 {
			// a result file collected by the hub (unreferenced for 7 days)
			// between our HEAD and this call: upload it again and retry
			for _, r := range in.Results {
				if r.SHA256 != "" {
					if err := c.ensureBlob(ctx, r.SHA256, r.Name); err != nil {
						return err
					}
				}
			}
			continue
		}
		if errors.As(err, &he) && he.Status == http.StatusPreconditionFailed && round < 3 {
			// Someone changed the transfer: take its current version and
			// try again under a fresh key (the stale attempt did nothing).
			var snap api.Transfer
			if _, gerr := c.call(ctx, http.MethodGet, "/v1/transfers/"+in.TransferID, nil, nil, &snap); gerr != nil {
				return gerr
			}
			v, key = int(snap.Version), app.NewID()
			if uerr := c.store.Update(func(tx app.Tx) error {
				cur, err := tx.OutboxItem(it.ID)
				if err != nil {
					return err
				}
				cur.IdempotencyKey = key
				return tx.PutOutboxItem(cur)
			}); uerr != nil {
				return uerr
			}
			continue
		}
		if err != nil {
			return err
		}
		return c.finish(it, func(tx app.Tx) error {
			return c.svc.CallSent(tx, it.Queue, in.TransferID, int(tr.Version))
		})
	}
}

func (c *Client) sendAck(ctx context.Context, it *app.OutboxItem) error {
	var in app.AckIntent
	if err := decodeIntent(it, &in); err != nil {
		return err
	}
	var tr api.Transfer
	body := api.AckRequest{Accepted: in.Accepted, LocalCode: in.LocalCode, Reason: in.Reason}
	if _, err := c.call(ctx, http.MethodPost, "/v1/transfers/"+in.TransferID+"/ack", map[string]string{api.HeaderIdempotencyKey: it.IdempotencyKey}, body, &tr); err != nil {
		return err
	}
	return c.finish(it, func(tx app.Tx) error {
		return c.svc.CallSent(tx, it.Queue, in.TransferID, int(tr.Version))
	})
}

func (c *Client) sendRecall(ctx context.Context, it *app.OutboxItem) error {
	var in app.RecallIntent
	if err := decodeIntent(it, &in); err != nil {
		return err
	}
	var tr api.Transfer
	body := api.RecallRequest{Reason: in.Reason}
	if _, err := c.call(ctx, http.MethodPost, "/v1/transfers/"+in.TransferID+"/recall", map[string]string{api.HeaderIdempotencyKey: it.IdempotencyKey}, body, &tr); err != nil {
		return err
	}
	return c.finish(it, func(tx app.Tx) error {
		return c.svc.CallSent(tx, it.Queue, in.TransferID, int(tr.Version))
	})
}

// ensureBlob makes sure the hub has a blob: HEAD, then PUT from the local
// store when it is missing.
func (c *Client) ensureBlob(ctx context.Context, sha, name string) error {
	path := "/v1/blobs/sha256/" + sha
	hctx, cancel := context.WithTimeout(ctx, c.cfg.CallTimeout)
	resp, err := c.rc.R().SetContext(hctx).Head(path)
	cancel()
	if err != nil {
		return &HubError{Err: err}
	}
	c.reached()
	switch resp.StatusCode() {
	case http.StatusOK:
		return nil
	case http.StatusNotFound:
	default:
		return c.check(resp, nil, nil)
	}
	var data []byte
	err = c.store.View(func(tx app.Tx) (err error) { data, err = tx.Scan(sha); return })
	if app.KindOf(err) == app.KindNotFound {
		return &errPark{fmt.Sprintf("Không tìm thấy bản chụp \"%s\" trong dữ liệu của cơ quan", name)}
	}
	if err != nil {
		return err
	}
	pctx, cancel := context.WithTimeout(ctx, c.cfg.BlobTimeout)
	defer cancel()
	resp, err = c.rc.R().SetContext(pctx).SetHeader("Content-Type", api.MediaBinary).
		SetContentLength(true).SetBody(data).Put(path)
	if err := c.check(resp, err, nil); err != nil {
		var he *HubError
		if errors.As(err, &he) && he.Code() == api.CodeDigestMismatch {
			return &errPark{fmt.Sprintf("Tệp đính kèm \"%s\" bị hỏng trên máy này (mã SHA-256 không khớp)", name)}
		}
		return err
	}
	return nil
}
