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

// The intake form (Kasus baru): offer only the elections whose period holds the incident date and whose area holds
// the regency (each option carries data-starts, data-ends, data-area). The server orders them the same way and
// refuses an incident outside the chosen election's period, so the form works without this too.
(function () {
  "use strict";
  var election = document.getElementById("election");
  var occurred = document.getElementById("occurred_on");
  var regency = document.getElementById("regency");
  if (!election || !occurred || !regency || !election.options.length || !election.options[0].dataset.starts) {
    return;
  }
  function fits(option, day, place) {
    var area = option.dataset.area;
    var inArea = !area || area === place || area === place.slice(0, 2);
    var inPeriod = !day || (option.dataset.starts <= day && day <= option.dataset.ends);
    return inArea && inPeriod;
  }
  function narrow() {
    var day = occurred.value;
    var place = regency.value;
    var options = Array.prototype.slice.call(election.options);
    var shown = options.filter(function (o) { return fits(o, day, place); });
    options.forEach(function (o) { o.hidden = shown.length > 0 && shown.indexOf(o) < 0; });
    if (shown.length && election.selectedOptions.length && election.selectedOptions[0].hidden) {
      election.value = shown[0].value;
    }
  }
  occurred.addEventListener("change", narrow);
  regency.addEventListener("change", narrow);
  narrow();
}());

// The decree form (Catat keputusan sanksi): the penalty list shows only the penalties of the level chosen (each
// option carries data-level), and picking another person's track starts from that person's recommended penalty
// (data-recommended on the track's option). The server refuses a penalty outside its level, so without this the
// form still works, with the whole list.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-decree-form]"), function (form) {
    var level = form.querySelector("select[data-level-select]");
    var penalty = form.querySelector("select[name='sanction']");
    var track = form.querySelector("select[name='track']");
    if (!level || !penalty) {
      return;
    }
    function filter() {
      Array.prototype.forEach.call(penalty.options, function (o) {
        var other = Boolean(o.dataset.level) && Boolean(level.value) && o.dataset.level !== level.value;
        o.hidden = other;
        o.disabled = other;
      });
      if (penalty.selectedOptions.length && penalty.selectedOptions[0].disabled) {
        penalty.value = "";
      }
    }
    function recommended() {
      var chosen = track && track.selectedOptions.length ? track.selectedOptions[0].dataset.recommended : "";
      var option = chosen ? penalty.querySelector("option[value='" + chosen + "']") : null;
      if (option) {
        level.value = option.dataset.level;
        penalty.value = chosen;
      }
      filter();
    }
    level.addEventListener("change", filter);
    if (track) {
      track.addEventListener("change", recommended);
    }
    filter();
  });
}());
