//! Screen rectangles, in pixels, shared by the device, perception and reports.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An axis-aligned rectangle on the screen; serialised as `[x1, y1, x2, y2]`
/// like uiautomator's `bounds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Rect {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub w: i32,
    /// Height.
    pub h: i32,
}

impl Rect {
    /// A rectangle from its top-left corner and size.
    pub const fn new(x: i32, y: i32, w: i32, h: i32) -> Self {
        Self { x, y, w, h }
    }

    /// A rectangle from two corners.
    pub fn from_corners(x1: i32, y1: i32, x2: i32, y2: i32) -> Self {
        Self::new(x1.min(x2), y1.min(y2), (x2 - x1).abs(), (y2 - y1).abs())
    }

    /// Right edge (exclusive).
    pub const fn right(&self) -> i32 {
        self.x + self.w
    }

    /// Bottom edge (exclusive).
    pub const fn bottom(&self) -> i32 {
        self.y + self.h
    }

    /// The centre point, where a tap on it lands.
    pub const fn center(&self) -> (i32, i32) {
        (self.x + self.w / 2, self.y + self.h / 2)
    }

    /// Area in square pixels.
    pub fn area(&self) -> i64 {
        self.w.max(0) as i64 * self.h.max(0) as i64
    }

    /// Whether a point lies inside.
    pub fn contains(&self, x: i32, y: i32) -> bool {
        x >= self.x && x < self.right() && y >= self.y && y < self.bottom()
    }

    /// The overlap of two rectangles (empty when they do not meet).
    pub fn intersect(&self, o: &Rect) -> Rect {
        let x1 = self.x.max(o.x);
        let y1 = self.y.max(o.y);
        let x2 = self.right().min(o.right());
        let y2 = self.bottom().min(o.bottom());
        if x2 <= x1 || y2 <= y1 {
            Rect::default()
        } else {
            Rect::from_corners(x1, y1, x2, y2)
        }
    }

    /// How much of the smaller rectangle the other covers (0..1).
    pub fn overlap_of_smaller(&self, o: &Rect) -> f64 {
        let small = self.area().min(o.area());
        if small == 0 {
            return 0.0;
        }
        self.intersect(o).area() as f64 / small as f64
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, o: &Rect) -> Rect {
        Rect::from_corners(
            self.x.min(o.x),
            self.y.min(o.y),
            self.right().max(o.right()),
            self.bottom().max(o.bottom()),
        )
    }
}

impl Serialize for Rect {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.x, self.y, self.right(), self.bottom()].serialize(s)
    }
}

impl<'de> Deserialize<'de> for Rect {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let [x1, y1, x2, y2] = <[i32; 4]>::deserialize(d)?;
        Ok(Rect::from_corners(x1, y1, x2, y2))
    }
}
