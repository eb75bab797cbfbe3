package storage

import (
	"slices"

	"motcua/app"
)

// Online submissions (hồ sơ trực tuyến): id → JSON. The bucket is made by
// the first submission, so that files of earlier versions need no migration.
var bSubmissions = []byte("submissions")

// PutSubmission inserts or replaces an online submission.
func (t *tx) PutSubmission(s *app.OnlineSubmission) error {
	const op = "PutSubmission"
	if s == nil || s.ID == "" {
		return app.E(op, app.KindInvalid, app.MsgSubmissionNoID)
	}
	if _, err := t.tx.CreateBucketIfNotExists(bSubmissions); err != nil {
		return wrapBolt(op, err)
	}
	return t.putJSON(op, bSubmissions, s.ID, s)
}

func (t *tx) Submission(id string) (*app.OnlineSubmission, error) {
	msg := app.M(app.MsgSubmissionNotFound, id)
	if t.bucket(bSubmissions) == nil {
		return nil, app.E("Submission", app.KindNotFound, msg)
	}
	var s app.OnlineSubmission
	if err := t.getJSON("Submission", bSubmissions, id, &s, msg); err != nil {
		return nil, err
	}
	return &s, nil
}

// ListSubmissions returns submissions oldest submission first, optionally
// only those waiting for a decision. They are few (tens a month).
func (t *tx) ListSubmissions(pendingOnly bool) ([]app.OnlineSubmission, error) {
	b := t.bucket(bSubmissions)
	if b == nil {
		return nil, nil
	}
	var out []app.OnlineSubmission
	err := b.ForEach(func(k, v []byte) error {
		var s app.OnlineSubmission
		if err := decode(v, &s); err != nil {
			return err
		}
		if !pendingOnly || s.State == app.SubmissionPending {
			out = append(out, s)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b app.OnlineSubmission) int {
		if c := a.SubmittedAt.Compare(b.SubmittedAt); c != 0 {
			return c
		}
		return compareStr(a.ID, b.ID)
	})
	return out, nil
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
