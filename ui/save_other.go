//go:build !windows

package ui

// nativeSaveAvailable: elsewhere Fyne's own dialog is used.
func nativeSaveAvailable() bool { return false }

func nativeSave(string, string, string) (string, bool, error) { return "", false, nil }
