package figure

import "image/color"

// Task colours (Tableau 10), fixed so a task has one colour in every figure.
var taskColors = map[string]color.RGBA{
	"flipflop": {R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, // blue
	"dd":       {R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}, // orange
	"sine":     {R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}, // green
	"pi":       {R: 0xd6, G: 0x27, B: 0x28, A: 0xff}, // red
}

// TaskColor is the colour of a task; an unknown task is grey.
func TaskColor(task string) color.Color {
	if c, ok := taskColors[task]; ok {
		return c
	}
	return color.RGBA{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff}
}

// levelColors run dark to light along viridis, stopping before its yellow
// end (unreadable on white), so a factor's levels read as an ordered scale.
var levelColors = []color.RGBA{
	{R: 0x44, G: 0x01, B: 0x54, A: 0xff},
	{R: 0x46, G: 0x32, B: 0x7e, A: 0xff},
	{R: 0x36, G: 0x5c, B: 0x8d, A: 0xff},
	{R: 0x27, G: 0x7f, B: 0x8e, A: 0xff},
	{R: 0x1f, G: 0xa1, B: 0x87, A: 0xff},
	{R: 0x4a, G: 0xc1, B: 0x6d, A: 0xff},
	{R: 0x9f, G: 0xda, B: 0x3a, A: 0xff},
}

// LevelColor is the colour of level i of n, spread over the scale.
func LevelColor(i, n int) color.Color {
	if n <= 1 {
		return levelColors[0]
	}
	return levelColors[i*(len(levelColors)-1)/(n-1)]
}

// Grey is for marks that belong to no task (the paper's signs and the zero
// line of the Table 1 figure).
var Grey color.Color = color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}

// Tint is c at a quarter opacity, for bands.
func Tint(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x40}
}
