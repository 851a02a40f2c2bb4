"""One function per figure, drawing from experiment results in one shared style."""

from ganbook.figures.registry import FigureSpec, figure, figure_names, get_figure
from ganbook.figures.render import RenderedFigure, render_figure

__all__ = ["FigureSpec", "RenderedFigure", "figure", "figure_names", "get_figure", "render_figure"]
