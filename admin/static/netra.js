// Netra's only script of its own. The Content-Security-Policy allows no inline script (admin/security.py), so
// Flask-Admin's menus link to "#" instead of running `javascript:void(0)` or an inline onclick="return false;"
// (admin/templates/admin/model/layout.html). A click on such a link does what its own handler does (open a menu,
// add a filter) and never follows the link: prevented here, in the capture phase, before any handler can stop it.
document.addEventListener("click", function (event) {
  "use strict";
  var link = event.target.closest ? event.target.closest("a[href='#']") : null;
  if (link) {
    event.preventDefault();
  }
}, true);
