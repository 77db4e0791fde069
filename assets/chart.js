// polltrack's question chart: draws the trend the page carries as JSON (#chart-data) with
// uPlot: a line per answer with its 95% band, a dot per poll. Hovering a dot shows the poll
// (pollster, field dates, sample, the answer's share, a link to it); hovering the line shows
// the day's estimates and bands; the legend shows or hides answers. Without this script the
// page shows the same trend as a picture and a table.
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var source = document.getElementById("chart-data");
  if (!holder || !source || typeof uPlot === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var DAY = 86400;
  var NEAR = 7; // pixels: how close the pointer must come to a dot

  function dateText(day) {
    return new Date(day * DAY * 1000).toISOString().slice(0, 10);
  }
  function points(x) {
    return x === null || x === undefined ? "–" : x.toFixed(1);
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  // Columns for uPlot: the days, then each answer's estimate, low and high.
  var columns = [data.days.map(function (d) { return d * DAY; })];
  var series = [{ label: "Day", value: function (u, v) { return v === null ? "" : dateText(v / DAY); } }];
  var bands = [];
  var shown = [];
  var low = Infinity;
  var high = -Infinity;
  var first = Infinity;
  var last = -Infinity;
  function widen(values) {
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (v !== null) {
        if (v < low) { low = v; }
        if (v > high) { high = v; }
      }
    }
  }
  data.days.forEach(function (d) {
    first = Math.min(first, d);
    last = Math.max(last, d);
  });
  data.answers.forEach(function (answer, i) {
    var base = 1 + 3 * i;
    columns.push(answer.estimate, answer.low, answer.high);
    series.push({ label: answer.label, stroke: answer.colour, width: 2.5, points: { show: false } });
    series.push({ label: answer.label + " low", stroke: "transparent", width: 0, points: { show: false } });
    series.push({ label: answer.label + " high", stroke: "transparent", width: 0, points: { show: false } });
    bands.push({ series: [base + 2, base + 1], fill: answer.colour + "33" });
    shown.push(true);
    widen(answer.estimate);
    widen(answer.low);
    widen(answer.high);
    widen(answer.dots.pct);
  });
  data.polls.day.forEach(function (d) {
    first = Math.min(first, d);
    last = Math.max(last, d);
  });
  if (!isFinite(low)) {
    low = 0;
    high = 100;
  }
  var pad = Math.max(1, (high - low) * 0.05);

  // Dots are drawn under the lines (many polls would hide them), in each answer's colour,
  // half transparent; smaller when there are many.
  var dotCount = data.answers.reduce(function (n, a) { return n + a.dots.poll.length; }, 0);
  var pollDays = data.polls.day;
  function drawDots(u) {
    var ctx = u.ctx;
    var radius = (dotCount > 3000 ? 1.8 : 2.8) * uPlot.pxRatio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    data.answers.forEach(function (answer, i) {
      if (!shown[i]) {
        return;
      }
      ctx.fillStyle = answer.colour + (dotCount > 3000 ? "55" : "88");
      ctx.beginPath();
      var dots = answer.dots;
      for (var k = 0; k < dots.poll.length; k++) {
        var x = u.valToPos(pollDays[dots.poll[k]] * DAY, "x", true);
        var y = u.valToPos(dots.pct[k], "y", true);
        ctx.moveTo(x + radius, y);
        ctx.arc(x, y, radius, 0, 2 * Math.PI);
      }
      ctx.fill();
    });
    ctx.restore();
  }

  var readout = el("p", "chart-readout muted", "Point at the line for the day's estimates, at a dot for its poll.");
  var tip = el("div", "chart-tip");
  tip.hidden = true;

  function showDay(u) {
    var idx = u.cursor.idx;
    if (idx === null || idx === undefined) {
      return;
    }
    var parts = [];
    data.answers.forEach(function (answer, i) {
      if (shown[i] && answer.estimate[idx] !== null) {
        parts.push(answer.label + " " + points(answer.estimate[idx]) +
          " (95% band " + points(answer.low[idx]) + " to " + points(answer.high[idx]) + ")");
      }
    });
    readout.textContent = dateText(data.days[idx]) + ": " + (parts.length ? parts.join(" · ") : "no estimate");
  }

  // At least two weeks across: a question of one poll, or of a few days, is marked in days,
  // not in hours.
  var padDays = Math.max(1, (14 - (last - first)) / 2);
  var width = Math.max(320, holder.clientWidth);
  var plot = new uPlot({
    width: width,
    height: 360,
    series: series,
    bands: bands,
    legend: { show: false },
    cursor: { points: { show: false }, drag: { x: false, y: false } },
    scales: {
      x: { time: true, range: function () { return [(first - padDays) * DAY, (last + padDays) * DAY]; } },
      y: { range: function () { return [low - pad, high + pad]; } }
    },
    axes: [{}, { label: "%", values: function (u, ticks) { return ticks.map(function (t) { return t + ""; }); } }],
    hooks: {
      drawClear: [drawDots],
      setCursor: [showDay]
    }
  }, columns, holder);

  // The nearest dot to a point of the plot (CSS pixels), within NEAR pixels.
  function nearestDot(left, top) {
    var best = null;
    var bestDistance = NEAR * NEAR;
    data.answers.forEach(function (answer, i) {
      if (!shown[i]) {
        return;
      }
      var dots = answer.dots;
      for (var k = 0; k < dots.poll.length; k++) {
        var dx = plot.valToPos(pollDays[dots.poll[k]] * DAY, "x") - left;
        var dy = plot.valToPos(dots.pct[k], "y") - top;
        var distance = dx * dx + dy * dy;
        if (distance <= bestDistance) {
          bestDistance = distance;
          best = { answer: i, dot: k };
        }
      }
    });
    return best;
  }

  function showPoll(found, left, top) {
    var answer = data.answers[found.answer];
    var p = answer.dots.poll[found.dot];
    var polls = data.polls;
    var start = polls.start[p];
    var end = polls.end[p];
    var field = start === null && end === null ? "field dates not given" :
      start === end || end === null ? dateText(start === null ? end : start) :
      start === null ? dateText(end) : dateText(start) + " to " + dateText(end);
    tip.textContent = "";
    tip.appendChild(el("strong", "pollster", data.pollsters[polls.pollster[p]]));
    tip.appendChild(el("div", "field", "Field: " + field));
    tip.appendChild(el("div", "sample", polls.sample[p] === null ? "Sample not given" : "Sample: " + polls.sample[p]));
    tip.appendChild(el("div", "share", answer.label + ": " + answer.dots.pct[found.dot] + "%"));
    var link = el("a", "poll", "Poll " + polls.id[p] + " →");
    link.href = "/polls/" + polls.id[p];
    tip.appendChild(link);
    tip.hidden = false;
    var box = plot.over.getBoundingClientRect();
    var hostBox = holder.getBoundingClientRect();
    var x = box.left - hostBox.left + left + 12;
    var y = box.top - hostBox.top + top + 12;
    if (x + 220 > hostBox.width) {
      x = Math.max(0, x - 244);
    }
    tip.style.left = x + "px";
    tip.style.top = y + "px";
    tip.dataset.poll = polls.id[p];
  }

  // Where an event is on the plot, in CSS pixels (from the client position: the event's
  // target may be one of uPlot's cursor lines, whose offsets are their own).
  function onPlot(event) {
    var box = plot.over.getBoundingClientRect();
    return { left: event.clientX - box.left, top: event.clientY - box.top };
  }
  var shownAt = null;
  plot.over.addEventListener("mousemove", function (event) {
    var at = onPlot(event);
    var found = nearestDot(at.left, at.top);
    if (found) {
      shownAt = at;
      showPoll(found, at.left, at.top);
    } else if (shownAt && Math.abs(at.left - shownAt.left) + Math.abs(at.top - shownAt.top) > 40) {
      tip.hidden = true;
      shownAt = null;
    }
  });
  plot.over.addEventListener("click", function (event) {
    var at = onPlot(event);
    var found = nearestDot(at.left, at.top);
    if (found) {
      var answer = data.answers[found.answer];
      window.location.href = "/polls/" + data.polls.id[answer.dots.poll[found.dot]];
    }
  });

  // The legend: a button per answer showing or hiding its line, band and dots.
  var legend = el("div", "chart-legend");
  data.answers.forEach(function (answer, i) {
    var button = el("button", "chart-answer");
    button.type = "button";
    button.setAttribute("aria-pressed", "true");
    button.dataset.answer = answer.label;
    var swatch = el("span", "swatch");
    swatch.style.backgroundColor = answer.colour;
    button.appendChild(swatch);
    button.appendChild(document.createTextNode(answer.label));
    button.addEventListener("click", function () {
      shown[i] = !shown[i];
      button.setAttribute("aria-pressed", shown[i] ? "true" : "false");
      var base = 1 + 3 * i;
      plot.batch(function () {
        plot.setSeries(base, { show: shown[i] });
        plot.setSeries(base + 1, { show: shown[i] });
        plot.setSeries(base + 2, { show: shown[i] });
      });
      tip.hidden = true;
      plot.redraw(false, false);
    });
    legend.appendChild(button);
  });
  holder.insertBefore(legend, holder.firstChild);
  holder.appendChild(readout);
  holder.appendChild(tip);
  holder.classList.add("drawn");
  // When the chart was ready, in milliseconds from the start of the page's loading.
  holder.dataset.drawnMs = String(Math.round(performance.now()));

  window.addEventListener("resize", function () {
    plot.setSize({ width: Math.max(320, holder.clientWidth), height: 360 });
  });

  // For tests and the curious: the plot, and where a poll's dot is on the screen.
  window.polltrackChart = {
    plot: plot,
    shown: shown,
    dotAt: function (pollId, answerLabel) {
      var box = plot.over.getBoundingClientRect();
      for (var i = 0; i < data.answers.length; i++) {
        var answer = data.answers[i];
        if (answerLabel !== undefined && answer.label !== answerLabel) {
          continue;
        }
        for (var k = 0; k < answer.dots.poll.length; k++) {
          if (data.polls.id[answer.dots.poll[k]] === pollId) {
            return {
              x: box.left + plot.valToPos(pollDays[answer.dots.poll[k]] * DAY, "x"),
              y: box.top + plot.valToPos(answer.dots.pct[k], "y")
            };
          }
        }
      }
      return null;
    }
  };
})();
