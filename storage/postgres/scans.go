package postgres

import (
	"errors"

	"github.com/jackc/pgx/v5"

	"motcua/app"
)

// Scans live in the shared database: every desk opens every attachment.

func (t *tx) PutScan(sha string, data []byte) error {
	return t.exec("PutScan", `INSERT INTO scans (sha256, data) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING`, sha, data)
}

func (t *tx) Scan(sha string) ([]byte, error) {
	var data []byte
	err := t.tx.QueryRow(t.ctx, `SELECT data FROM scans WHERE sha256 = $1`, sha).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, app.E("Scan", app.KindNotFound, "Không tìm thấy bản chụp")
	}
	if err != nil {
		return nil, t.fail("Scan", err)
	}
	return data, nil
}

func (t *tx) HasScan(sha string) (bool, error) {
	var ok bool
	err := t.tx.QueryRow(t.ctx, `SELECT EXISTS (SELECT 1 FROM scans WHERE sha256 = $1)`, sha).Scan(&ok)
	if err != nil {
		return false, t.fail("HasScan", err)
	}
	return ok, nil
}
