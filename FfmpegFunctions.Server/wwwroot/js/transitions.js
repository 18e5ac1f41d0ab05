// The xfade names the server accepts (TransitionTypes.Supported; a test keeps the two lists equal).
export const TRANSITIONS = [
  'fade', 'fadeblack', 'fadewhite', 'dissolve', 'distance', 'wipeleft', 'wiperight', 'wipeup', 'wipedown',
  'slideleft', 'slideright', 'slideup', 'slidedown', 'smoothleft', 'smoothright', 'smoothup', 'smoothdown',
  'circlecrop', 'rectcrop', 'circleopen', 'circleclose', 'vertopen', 'vertclose', 'horzopen', 'horzclose',
  'diagtl', 'diagtr', 'diagbl', 'diagbr', 'hlslice', 'hrslice', 'vuslice', 'vdslice', 'pixelize', 'radial',
  'hblur', 'fadegrays', 'squeezeh', 'squeezev',
];
