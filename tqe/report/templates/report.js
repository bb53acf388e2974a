(function () {
  "use strict";
  var form = document.getElementById("controls");
  var list = document.getElementById("items");
  if (!form || !list) {
    return;
  }
  var items = Array.prototype.slice.call(list.querySelectorAll("article.item"));
  var shown = document.getElementById("shown");

  function scoreOf(item, metric) {
    var scores = JSON.parse(item.getAttribute("data-scores") || "{}");
    return Object.prototype.hasOwnProperty.call(scores, metric) ? scores[metric] : null;
  }

  function isVisible(item, severities, check, showUnflagged) {
    var flags = item.querySelectorAll("li.flag:not(.resolved)");
    if (flags.length === 0) {
      return showUnflagged && check === "";
    }
    return Array.prototype.some.call(flags, function (flag) {
      var severity = flag.getAttribute("data-severity");
      var severityOn = !Object.prototype.hasOwnProperty.call(severities, severity) || severities[severity];
      return severityOn && (check === "" || flag.getAttribute("data-check") === check);
    });
  }

  function sortItems(order) {
    var sorted = items.slice();
    var colon = order.indexOf(":");
    function position(item, name) {
      return Number(item.getAttribute(name));
    }
    if (order === "doc" || order === "list") {
      var attribute = order === "doc" ? "data-doc" : "data-order";
      sorted.sort(function (a, b) {
        return position(a, attribute) - position(b, attribute);
      });
    } else if (colon > 0) {
      var direction = order.slice(0, colon) === "desc" ? -1 : 1;
      var metric = order.slice(colon + 1);
      sorted.sort(function (a, b) {
        var x = scoreOf(a, metric);
        var y = scoreOf(b, metric);
        if (x === null || y === null) {
          return (x === null) - (y === null);
        }
        return direction * (x - y) || Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
      });
    }
    sorted.forEach(function (item) {
      list.appendChild(item);
    });
  }

  function apply() {
    var severities = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name=severity]"), function (box) {
      severities[box.value] = box.checked;
    });
    var check = form.elements.check ? form.elements.check.value : "";
    var unflagged = form.elements.unflagged;
    var showUnflagged = unflagged ? unflagged.checked : false;
    var count = 0;
    items.forEach(function (item) {
      var visible = isVisible(item, severities, check, showUnflagged);
      item.hidden = !visible;
      count += visible ? 1 : 0;
    });
    sortItems(form.elements.sort ? form.elements.sort.value : "list");
    shown.textContent = "Showing " + count + " of " + items.length + " segments";
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.hidden = false;
  apply();
})();
