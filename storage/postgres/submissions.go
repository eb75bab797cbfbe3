package postgres

import (
	"motcua/app"
)

// PutSubmission inserts or replaces an online submission.
func (t *tx) PutSubmission(s *app.OnlineSubmission) error {
	const op = "PutSubmission"
	if s == nil || s.ID == "" {
		return app.E(op, app.KindInvalid, app.MsgSubmissionNoID)
	}
	raw, err := encode(op, s)
	if err != nil {
		return err
	}
	return t.exec(op, `INSERT INTO submissions (id, submitted, pending, doc) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET submitted = excluded.submitted, pending = excluded.pending, doc = excluded.doc`,
		s.ID, timeKey(s.SubmittedAt), s.State == app.SubmissionPending, raw)
}

func (t *tx) Submission(id string) (*app.OnlineSubmission, error) {
	var s app.OnlineSubmission
	if err := t.getDoc("Submission", "submissions", "id", id, &s, app.M(app.MsgSubmissionNotFound, id).Text()); err != nil {
		return nil, err
	}
	return &s, nil
}

// ListSubmissions returns submissions oldest submission first, optionally
// only those waiting for a decision.
func (t *tx) ListSubmissions(pendingOnly bool) ([]app.OnlineSubmission, error) {
	const op = "ListSubmissions"
	return queryDocs[app.OnlineSubmission](t, op, `SELECT doc FROM submissions WHERE pending OR NOT $1 ORDER BY submitted, id`, pendingOnly)
}
