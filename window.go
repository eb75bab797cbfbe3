package main

import (
	"fyne.io/fyne/v2"
	"github.com/sirupsen/logrus"
)

// The window's preferred size in Fyne units; it shrinks to fit the work area.
const prefW, prefH = 1280, 720

// Room left for the title bar and the borders that the system draws around
// the window's content, in Fyne units.
const frameW, frameH = 16, 48

// fitWindow is the window size that fits a work area of waW×waH screen
// pixels at scale (screen pixels per Fyne unit): the preferred size, or the
// whole work area less the frame when that is smaller.
func fitWindow(waW, waH int, scale float32) fyne.Size {
	if scale <= 0 {
		scale = 1
	}
	w := min(float32(prefW), float32(waW)/scale-frameW)
	h := min(float32(prefH), float32(waH)/scale-frameH)
	return fyne.NewSize(max(w, 640), max(h, 400))
}

// fitToScreen resizes win so that it lies within the primary monitor's work
// area at the canvas's scale (150 % on a 1920×1080 screen leaves 1280×720
// pixels less the taskbar), and centres it.
func fitToScreen(win fyne.Window) {
	_, _, w, h, ok := workArea()
	if !ok {
		return
	}
	scale := win.Canvas().Scale()
	size := fitWindow(w, h, scale)
	logrus.WithFields(logrus.Fields{"work_area": [2]int{w, h}, "scale": scale, "window": size}).Info("window size")
	win.Resize(size)
	win.CenterOnScreen()
}

// noGLText tells the official what to do when the PC has no OpenGL.
const noGLText = "Một Cửa không mở được cửa sổ vì máy tính chưa có trình điều khiển đồ họa OpenGL 2.1 trở lên " +
	"(thường gặp ở máy ảo, Remote Desktop hoặc máy có card đồ họa đời cũ).\n\n" +
	"Cách khắc phục: cài trình điều khiển đồ họa mới nhất của hãng sản xuất máy; hoặc chép tệp opengl32.dll của Mesa " +
	"(bản dành cho Windows 64-bit) vào cùng thư mục với MotCua.exe rồi mở lại chương trình.\n\n" +
	"Dữ liệu không bị ảnh hưởng. Chi tiết lỗi có trong thư mục nhật ký (logs) của chương trình."
