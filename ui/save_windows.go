//go:build windows

package ui

import (
	"errors"
	"strings"

	"github.com/sqweek/dialog"
)

// Fyne's file dialog cannot be translated ("Home", "Computer", "Documents",
// "Desktop" are fixed English names): on Windows the system's own dialog
// speaks the system's language.
func nativeSaveAvailable() bool { return true }

// nativeSave asks for a file name; ok is false when the official cancelled.
func nativeSave(title, name, ext string) (path string, ok bool, err error) {
	e := strings.TrimPrefix(ext, ".")
	path, err = dialog.File().Title(title).Filter(strings.ToUpper(e), e).SetStartFile(name).Save()
	if errors.Is(err, dialog.ErrCancelled) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if !strings.HasSuffix(strings.ToLower(path), "."+strings.ToLower(e)) {
		path += "." + e
	}
	return path, true, nil
}
