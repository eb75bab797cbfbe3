//go:build windows

package ui

import (
	"errors"
	"strings"

	"github.com/sqweek/dialog"
)

// On Windows the file dialogs are the system's own: Fyne's cannot be
// translated ("Home", "Computer", "Documents", "Desktop" are fixed English
// names), the system's speak the system's language.
func nativeDialogs() bool { return true }

// answer turns sqweek's cancel into ok = false.
func answer(path string, err error) (string, bool, error) {
	if errors.Is(err, dialog.ErrCancelled) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return path, true, nil
}

// nativeSave asks for a file name; ok is false when the official cancelled.
func nativeSave(title, name, ext string) (path string, ok bool, err error) {
	e := strings.TrimPrefix(ext, ".")
	path, ok, err = answer(dialog.File().Title(title).Filter(strings.ToUpper(e), e).SetStartFile(name).Save())
	if ok && !strings.HasSuffix(strings.ToLower(path), "."+strings.ToLower(e)) {
		path += "." + e
	}
	return path, ok, err
}

// nativeOpen asks for an existing file with one of exts (none: any).
func nativeOpen(title string, exts []string) (string, bool, error) {
	b := dialog.File().Title(title)
	if len(exts) > 0 {
		var es []string
		for _, e := range exts {
			es = append(es, strings.TrimPrefix(e, "."))
		}
		b = b.Filter(strings.ToUpper(strings.Join(es, ", ")), es...)
	}
	return answer(b.Load())
}

// nativeFolder asks for a folder.
func nativeFolder(title string) (string, bool, error) {
	return answer(dialog.Directory().Title(title).Browse())
}
