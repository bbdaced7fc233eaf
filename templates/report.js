// Printing from the browser: open every collapsed block (evidence, "show more") so the paper
// holds everything, and close them again afterwards. The page reads fully without this script.
(function () {
  var opened = [];
  addEventListener('beforeprint', function () {
    document.querySelectorAll('details:not([open]):not(.data)').forEach(function (d) { d.open = true; opened.push(d); });
  });
  addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();

// Family tables (report.tables): column widths are the browser's, from the content. A table that
// fits its page or window as laid out is left alone. One too wide gets fixed column widths:
// each column first gets its header's longest word (a header never breaks inside a word), then,
// as far as the room goes, shared out narrowest first: its longest word but the very long ones
// (`td.long`), its longest word (no value broken inside a word), its short values on one line,
// its whole content. A value breaks inside a word only in a column that did not get its longest
// word; in a window, only a very long word does (a table that cannot hold its other words
// scrolls sideways in its box). Run again when the window is resized, when a "show more" block
// opens, and by the PDF printer at the paper's printable width.
(function () {
  // The longest word of `el`'s text, in px.
  function longestWord(el) {
    var widest = 0;
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      var re = /\S+/g;
      for (var m = re.exec(n.data); m; m = re.exec(n.data)) {
        var range = document.createRange();
        range.setStart(n, m.index);
        range.setEnd(n, m.index + m[0].length);
        widest = Math.max(widest, range.getBoundingClientRect().width);
      }
    }
    return widest;
  }
  // Column widths (border box, px) of `table` laid out with `cls` added, and a pixel to spare
  // (text printed on paper may come out a little wider than on screen).
  function widths(table, cls) {
    table.classList.add(cls);
    var out = [].map.call(table.tHead.rows[0].cells, function (th) { return th.getBoundingClientRect().width + 1; });
    table.classList.remove(cls);
    return out;
  }
  // Raises `width` toward `target`, column by column, sharing `room` px equally among the
  // columns still short (a column that needs little is served in full first). Returns the room left.
  function share(width, target, room) {
    var short = width.map(function (w, i) { return i; }).filter(function (i) { return target[i] > width[i]; });
    while (short.length > 0 && room > 0.01) {
      var each = room / short.length;
      short = short.filter(function (i) {
        var add = Math.min(each, target[i] - width[i]);
        width[i] += add;
        room -= add;
        return target[i] - width[i] > 0.01;
      });
    }
    return room;
  }
  function fit(table) {
    var heads = table.tHead ? [].slice.call(table.tHead.rows[0].cells) : [];
    // Undo an earlier fit; a table never fitted is only read (a write would lay the page out again).
    if (table.classList.contains('fitted')) {
      table.classList.remove('fitted');
      heads.forEach(function (th) { th.style.width = ''; });
      table.querySelectorAll('td.fit-words').forEach(function (td) { td.classList.remove('fit-words'); });
    }
    // On screen, a table in a closed block is fitted when the block opens: measuring it now
    // would lay out every hidden row (thousands, in a large cluster's report). Print shows it.
    if (heads.length === 0 || (table.closest('details:not([open])') && !matchMedia('print').matches)) return;
    if (table.getBoundingClientRect().width <= table.parentElement.clientWidth) return;
    // The room for the columns: the table's own edges (a flagged row's border) take the rest.
    var edges = table.getBoundingClientRect().width - heads.reduce(function (a, th) { return a + th.getBoundingClientRect().width; }, 0);
    var room = Math.floor(table.parentElement.clientWidth - edges) - 1;
    var width = heads.map(function (th) {
      var s = getComputedStyle(th);
      return longestWord(th) + parseFloat(s.paddingLeft) + parseFloat(s.paddingRight) + 1;
    });
    var left = room - width.reduce(function (a, b) { return a + b; }, 0);
    if (left < 0) return;
    var lines = widths(table, 'fit-short-lines');
    var words = widths(table, 'fit-short-words');
    left = share(width, words, left);
    if (!matchMedia('print').matches && width.some(function (w, i) { return w < words[i] - 0.01; })) {
      // A window too narrow for the table's words (but the very long ones): the table, as
      // narrow as they allow, scrolls sideways in its box. Paper has no such box: the table fits.
      width = words;
    } else {
      [widths(table, 'fit-words-only'), lines, widths(table, 'fit-whole')].forEach(function (target) {
        left = share(width, target, left);
      });
    }
    share(width, width.map(function () { return Infinity; }), left);
    heads.forEach(function (th, i) { th.style.width = width[i] + 'px'; });
    table.classList.add('fitted');
    // Short values kept on one line wrap between their words where their column is too narrow.
    for (var b = 0; b < table.tBodies.length; b++) {
      [].forEach.call(table.tBodies[b].rows, function (row) {
        [].forEach.call(row.cells, function (td, i) {
          if (td.classList.contains('nowrap') && lines[i] > width[i] + 0.5) td.classList.add('fit-words');
        });
      });
    }
  }
  function fitAll() {
    document.querySelectorAll('.family-table table.family-data').forEach(fit);
  }
  fitAll();
  addEventListener('resize', fitAll);
  document.addEventListener('toggle', function (e) {
    if (e.target.closest && e.target.closest('.family-table')) e.target.querySelectorAll('table.family-data').forEach(fit);
  }, true);
})();
