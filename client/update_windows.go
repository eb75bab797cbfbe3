//go:build windows

package client

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// LaunchInstaller starts, detached, a command that waits for this program to
// exit, runs msiexec (which asks for administrator rights, shows its progress
// and upgrades in place: same UpgradeCode, MajorUpgrade), then starts the
// program again. The installation log is written beside the MSI. The command
// line goes to cmd.exe as UTF-16 (no batch file in an OEM code page), so a
// Vietnamese user name in the path is safe.
func LaunchInstaller(msi string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	log := strings.TrimSuffix(msi, ".msi") + ".log"
	// ping waits about 3 s for this program to exit (timeout.exe refuses to run without a console)
	line := fmt.Sprintf(`cmd.exe /d /s /c "ping -n 4 127.0.0.1 >nul & msiexec /i "%s" /passive /norestart /l*v "%s" & start "" "%s""`,
		msi, log, exe)
	cmd := exec.Command(filepath.Join(os.Getenv("SystemRoot"), "System32", "cmd.exe"))
	cmd.Dir = filepath.Dir(msi)
	// CREATE_NEW_PROCESS_GROUP | DETACHED_PROCESS: it outlives this program
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: line, HideWindow: true, CreationFlags: 0x00000200 | 0x00000008}
	return cmd.Start()
}
