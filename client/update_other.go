//go:build !windows

package client

import "errors"

// LaunchInstaller: an MSI installs only on Windows. Elsewhere the office
// installs the new version with its package manager.
func LaunchInstaller(string) error {
	return errors.New("chỉ cài đặt tự động được trên Windows")
}
