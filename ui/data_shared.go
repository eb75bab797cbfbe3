package ui

import (
	"path/filepath"

	"motcua/app"
)

// errSharedStore answers the screens that work on the embedded database
// file (backup to a file, restore) when the office runs on a server.
var errSharedStore = app.E("Data", app.KindInvalid,
	"Chức năng này dùng cho cơ sở dữ liệu trên một máy; ở chế độ nhiều máy, hãy sao lưu máy chủ PostgreSQL (pg_dump)")

// OpenStoreData wraps a store shared by several desks (the PostgreSQL
// store): the service runs on it; the file backup and restore screens say
// they do not apply. dataDir still holds the logs and the attachments.
func OpenStoreData(store app.Store, closeStore func() error, dataDir string, clock app.Clock) *Data {
	return &Data{path: filepath.Join(dataDir, "motcua.db"), clock: clock, svc: app.NewService(store, clock), closeShared: closeStore}
}
